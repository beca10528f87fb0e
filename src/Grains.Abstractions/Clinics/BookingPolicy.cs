namespace ClinicCluster.Clinics;

/// <summary>When appointments may be booked and cancelled, relative to their start.</summary>
[GenerateSerializer, Immutable, Alias("cc.BookingPolicy")]
public sealed record BookingPolicy(
    [property: Id(0)] int MinimumNoticeMinutes,
    [property: Id(1)] int MaximumHorizonDays,
    [property: Id(2)] int CancellationCutoffMinutes,
    [property: Id(3)] int SlotIntervalMinutes)
{
    /// <summary>Two hours' notice, a 90-day horizon, a 24-hour cancellation cutoff and a 15-minute grid.</summary>
    public static BookingPolicy Default { get; } = new(120, 90, 1440, 15);
}
