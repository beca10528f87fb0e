namespace ClinicCluster.Patients;

/// <summary>
/// When a name index partition writes its snapshot (decision 0060). A small partition decrypts its
/// rows in milliseconds and never needs one; a large one writes one when enough of it changed
/// since the last, checked every <see cref="Interval"/>, and when it deactivates with any change.
/// </summary>
public static class NameIndexSnapshotPolicy
{
    /// <summary>Below this many patients an activation decrypts every row (about 12 ms per 1,000 here).</summary>
    public const int MinEntries = 1_000;

    /// <summary>Rows an activation would decrypt before the timer writes a new snapshot.</summary>
    public const int AfterChanges = 500;

    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(2);

    public static bool OnTimer(int entries, int unsnapshotted) => entries >= MinEntries && unsnapshotted >= AfterChanges;

    public static bool OnDeactivation(int entries, int unsnapshotted) => entries >= MinEntries && unsnapshotted > 0;
}
