namespace ClinicCluster.Scheduling;

/// <summary>
/// The busy time a clinic's replica holds per provider, newest version only (decision 0059). Plain
/// rules; <see cref="ClinicCalendarReplicaGrain"/> serialises access. A publication older than what
/// is held is ignored, so calendars may publish again, late or twice, without harm.
/// </summary>
public sealed class ReplicaCalendars
{
    private readonly Dictionary<string, CalendarBusyTime> _byProvider = new(StringComparer.Ordinal);

    /// <summary>The version held of each provider.</summary>
    public IReadOnlyDictionary<string, long> Versions => _byProvider.ToDictionary(p => p.Key, p => p.Value.Version, StringComparer.Ordinal);

    /// <summary>Keeps <paramref name="busy"/> unless a newer version is held; the version held afterwards.</summary>
    public long Apply(CalendarBusyTime busy)
    {
        if (_byProvider.TryGetValue(busy.ProviderId, out var held) && held.Version >= busy.Version)
        {
            return held.Version;
        }

        // Sorted once here, so each search's timeline is built from ordered ranges.
        var sorted = busy.Ranges.OrderBy(r => r.Start).ToList();
        _byProvider[busy.ProviderId] = busy with { Ranges = sorted };
        return busy.Version;
    }

    /// <summary>Forgets a provider: it has no current data until its calendar publishes or is asked.</summary>
    public void Forget(string providerId) => _byProvider.Remove(providerId);

    /// <summary>True when a version of the provider's busy time is held.</summary>
    public bool Has(string providerId) => _byProvider.ContainsKey(providerId);

    /// <summary>The provider's ranges that still block at <paramref name="now"/> (expiries checked now, as the calendar does); null when none are held.</summary>
    public List<TimeRange>? BusyAt(string providerId, DateTimeOffset now) =>
        _byProvider.TryGetValue(providerId, out var held)
            ? held.Ranges.Where(r => r.End > now && r.BlocksAt(now)).Select(r => new TimeRange(r.Start, r.End)).ToList()
            : null;
}
