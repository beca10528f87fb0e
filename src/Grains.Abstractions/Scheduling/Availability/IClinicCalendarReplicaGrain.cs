namespace ClinicCluster.Scheduling;

/// <summary>
/// The clinic's replica of its provider calendars' busy time (decision 0059), one activation per
/// clinic, in memory only. The calendars publish to it on every change; it answers a clinic-wide
/// search in one turn with the calendars' own slot rules, and asks a calendar directly only when it
/// has no current data for it. Key: the clinic id.
/// </summary>
public interface IClinicCalendarReplicaGrain : Clinics.IClinicKeyedGrain
{
    /// <summary>
    /// Takes a calendar's busy time unless it already has a newer version; answers the version it
    /// now holds for that provider (higher than the one sent when a newer one was there first).
    /// Interleaved: it awaits nothing, so it never waits behind a search that asks calendars.
    /// </summary>
    [AlwaysInterleave]
    Task<long> PublishAsync(CalendarBusyTime busy);

    /// <summary>
    /// The earliest open slots of the chosen providers after the search's position, in the
    /// clinic-wide order, at most <see cref="ReplicaSearch.Limit"/>.
    /// </summary>
    [AlwaysInterleave]
    Task<IReadOnlyList<ClinicSlot>> FindAsync(ReplicaSearch search);

    /// <summary>The versions held and the direct asks made (operators, tests).</summary>
    [AlwaysInterleave]
    Task<ReplicaStatus> GetStatusAsync();
}
