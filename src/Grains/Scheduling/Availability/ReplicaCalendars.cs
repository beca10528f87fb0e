namespace ClinicCluster.Scheduling;

/// <summary>
/// The busy time a clinic's replica holds per provider, newest version only (decision 0059). Plain
/// rules; <see cref="ClinicCalendarReplicaGrain"/> serialises access. A publication older than what
/// is held is ignored, so calendars may publish again, late or twice, without harm.
/// </summary>
/// <remarks>
/// Every search reads every provider, while a provider changes only when it publishes or one of its
/// holds expires. Each provider's merged timeline is therefore kept between searches and rebuilt only
/// after a publication or once the earliest expiry among the ranges it counted has passed: a search
/// then costs each provider a binary search and a walk over the days it shows, not a pass over every
/// booking it has.
/// </remarks>
public sealed class ReplicaCalendars
{
    private readonly Dictionary<string, Held> _byProvider = new(StringComparer.Ordinal);

    /// <summary>The version held of each provider.</summary>
    public IReadOnlyDictionary<string, long> Versions => _byProvider.ToDictionary(p => p.Key, p => p.Value.Busy.Version, StringComparer.Ordinal);

    /// <summary>Keeps <paramref name="busy"/> unless a newer version is held; the version held afterwards.</summary>
    public long Apply(CalendarBusyTime busy)
    {
        if (_byProvider.TryGetValue(busy.ProviderId, out var held) && held.Busy.Version >= busy.Version)
        {
            return held.Busy.Version;
        }

        _byProvider[busy.ProviderId] = new Held(busy);
        return busy.Version;
    }

    /// <summary>Forgets a provider: it has no current data until its calendar publishes or is asked.</summary>
    public void Forget(string providerId) => _byProvider.Remove(providerId);

    /// <summary>True when a version of the provider's busy time is held.</summary>
    public bool Has(string providerId) => _byProvider.ContainsKey(providerId);

    /// <summary>The provider's ranges that still block at <paramref name="now"/> (expiries checked now, as the calendar does); null when none are held.</summary>
    public List<TimeRange>? BusyAt(string providerId, DateTimeOffset now) =>
        _byProvider.TryGetValue(providerId, out var held) ? Blocking(held.Busy, now) : null;

    /// <summary>The union of <see cref="BusyAt"/> as a timeline, kept until it can change; null when none is held.</summary>
    public BusyTimeline? TimelineAt(string providerId, DateTimeOffset now)
    {
        if (!_byProvider.TryGetValue(providerId, out var held))
        {
            return null;
        }

        // A clock that went back could revive a range counted as expired: rebuild then too.
        if (held.Timeline is null || now < held.BuiltAt || now >= held.ValidUntil)
        {
            var blocking = held.Busy.Ranges.Where(r => r.BlocksAt(now)).ToList();
            held.Timeline = new BusyTimeline(blocking.Select(r => new TimeRange(r.Start, r.End)));
            held.BuiltAt = now;
            held.ValidUntil = blocking.Min(r => r.Until) ?? DateTimeOffset.MaxValue;
        }

        return held.Timeline;
    }

    private static List<TimeRange> Blocking(CalendarBusyTime busy, DateTimeOffset now) =>
        busy.Ranges.Where(r => r.End > now && r.BlocksAt(now)).OrderBy(r => r.Start).Select(r => new TimeRange(r.Start, r.End)).ToList();

    private sealed class Held(CalendarBusyTime busy)
    {
        public CalendarBusyTime Busy { get; } = busy;

        public BusyTimeline? Timeline { get; set; }

        public DateTimeOffset BuiltAt { get; set; }

        /// <summary>The first expiry among the ranges the timeline counts: it is stale from then on.</summary>
        public DateTimeOffset ValidUntil { get; set; }
    }
}
