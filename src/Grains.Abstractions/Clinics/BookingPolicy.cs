namespace ClinicCluster.Clinics;

/// <summary>
/// When appointments may be booked and cancelled, relative to their start, and when a visit may be
/// checked in, completed or marked a no-show (<c>VisitTimeRules</c>). The visit-time fields came
/// later (issue 26): they default in the constructor, so stored settings and requests without them
/// read as the defaults.
/// </summary>
[GenerateSerializer, Immutable, Alias("cc.BookingPolicy")]
public sealed record BookingPolicy(
    [property: Id(0)] int MinimumNoticeMinutes,
    [property: Id(1)] int MaximumHorizonDays,
    [property: Id(2)] int CancellationCutoffMinutes,
    [property: Id(3)] int SlotIntervalMinutes,
    [property: Id(4)] int CheckInOpensMinutes = BookingPolicy.DefaultCheckInOpensMinutes,
    [property: Id(5)] int CheckInGraceMinutes = BookingPolicy.DefaultCheckInGraceMinutes,
    [property: Id(6)] int NoShowGraceMinutes = BookingPolicy.DefaultNoShowGraceMinutes)
{
    /// <summary>Check-in opens two hours before the start.</summary>
    public const int DefaultCheckInOpensMinutes = 120;

    /// <summary>Check-in closes 30 minutes after the end (the sweeper's former no-show delay).</summary>
    public const int DefaultCheckInGraceMinutes = 30;

    /// <summary>A visit may be marked a no-show 15 minutes after its start.</summary>
    public const int DefaultNoShowGraceMinutes = 15;

    /// <summary>
    /// Two hours' notice, a 90-day horizon, a 24-hour cancellation cutoff, a 15-minute grid, and the
    /// visit-time defaults above.
    /// </summary>
    public static BookingPolicy Default { get; } = new(120, 90, 1440, 15);
}
