namespace ClinicCluster.Scheduling;

/// <summary>Scheduling settings of the silo (section "Scheduling").</summary>
public sealed class SchedulingOptions
{
    public const string SectionName = "Scheduling";

    /// <summary>
    /// How long a hold may stay unrecorded before a calendar asks the ledger whether its booking
    /// committed. A hold left by a booking that died half-way is released after this time.
    /// </summary>
    public TimeSpan PendingHoldTimeout { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long before its start an "appointment due soon" event is raised.</summary>
    public TimeSpan DueSoonBefore { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How often an active calendar compares itself with the ledger and repairs differences.</summary>
    public TimeSpan ReconcileInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How often a clinic's sweeper looks for missed (no-show) and due-soon appointments.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long an appointment waits before telling its calendars again what it committed, after
    /// they could not be told (a calendar's silo was unreachable).
    /// </summary>
    public TimeSpan RecordRetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How many times it tries again (0: never; the calendars then resolve it against the ledger).</summary>
    public int RecordRetries { get; set; } = 5;

    /// <summary>
    /// How long one minute of a checkout hold (and so of a waitlist offer) lasts: one minute. Tests
    /// that watch holds expire in real time set a second (decision 0052); nothing else should.
    /// </summary>
    public TimeSpan HoldMinute { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How long a provider calendar waits for the clinic's replica to take a publication before it
    /// answers its caller anyway and publishes again later (decision 0059): a slow or unreachable
    /// replica costs a booking at most this, never its outcome.
    /// </summary>
    public TimeSpan ReplicaPublishTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The widest date range one availability request may cover.</summary>
    public int MaxAvailabilityDays { get; set; } = 31;

    /// <summary>
    /// Replaced by the clinics' policy field checkInGraceMinutes (decision 0025). Bound as text only
    /// so that any value left in a deployment is refused by name at start, not silently ignored.
    /// </summary>
    public string? NoShowAfter { get; set; }
}
