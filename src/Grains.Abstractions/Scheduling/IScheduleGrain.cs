using ClinicCluster.Common;

namespace ClinicCluster.Scheduling;

/// <summary>
/// A calendar that admits no two overlapping active appointments. Holds are taken before an
/// appointment is stored and recorded after, so a crash in between never frees a booked slot.
/// </summary>
public interface IScheduleGrain : IGrainWithStringKey
{
    /// <summary>Holds the range of <paramref name="hold"/>, or a conflict naming why it cannot.</summary>
    Task<Result<SlotHold>> HoldAsync(SlotHold hold);

    /// <summary>Drops a hold that was taken but not recorded (a booking that failed half-way).</summary>
    Task ReleaseAsync(string appointmentId, DateTimeOffset start);

    /// <summary>Records the appointment as stored: confirms its current range and drops older ones.</summary>
    Task RecordAsync(SlotHold hold);

    /// <summary>Appointments between two instants, ordered by start.</summary>
    [ReadOnly]
    Task<IReadOnlyList<AppointmentSummary>> ListAsync(DateTimeOffset from, DateTimeOffset to);
}
