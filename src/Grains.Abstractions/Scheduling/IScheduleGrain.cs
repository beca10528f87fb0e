using ClinicCluster.Common;

namespace ClinicCluster.Scheduling;

/// <summary>
/// A calendar that admits no two overlapping active appointments: an in-memory view of the
/// owner's active ledger rows (rebuilt on activation) plus the holds of bookings in flight. The
/// ledger is the truth (decision 0006); the calendar refuses early and offers availability.
/// </summary>
public interface IScheduleGrain : IGrainWithStringKey
{
    /// <summary>Holds the range of <paramref name="hold"/>, or a conflict naming why it cannot.</summary>
    Task<Result<SlotHold>> HoldAsync(SlotHold hold);

    /// <summary>Drops a hold that was taken but not recorded (a booking that failed half-way).</summary>
    Task ReleaseAsync(string appointmentId, DateTimeOffset start);

    /// <summary>Records the appointment as stored: confirms its current range and drops older ones.</summary>
    Task RecordAsync(SlotHold hold);

    /// <summary>Appointments between two instants, ordered by start (from the ledger).</summary>
    [ReadOnly]
    Task<IReadOnlyList<AppointmentSummary>> ListAsync(DateTimeOffset from, DateTimeOffset to);

    /// <summary>One page of the owner's appointments (from the ledger), or the fields of the query that are wrong.</summary>
    [ReadOnly]
    Task<Result<AppointmentListPage>> ListPageAsync(AppointmentListQuery query);

    /// <summary>What the calendar blocks now, recorded and pending.</summary>
    [ReadOnly]
    Task<IReadOnlyList<CalendarBlock>> GetBlocksAsync();

    /// <summary>Compares the calendar with the ledger, repairs it to the ledger, and reports the differences.</summary>
    Task<IReadOnlyList<ReconcileFinding>> ReconcileAsync();
}
