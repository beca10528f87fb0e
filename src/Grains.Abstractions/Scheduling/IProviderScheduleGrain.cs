using ClinicCluster.Clinics;
using ClinicCluster.Common;

namespace ClinicCluster.Scheduling;

/// <summary>
/// A provider's appointments and open slots; admits a hold only inside working hours, outside time
/// off and clear of other visits and their buffers. Key: "{clinicId}/{providerId}".
/// </summary>
public interface IProviderScheduleGrain : IScheduleGrain
{
    /// <summary>
    /// Holds like <see cref="IScheduleGrain.HoldAsync(SlotHold)"/>, judged by the clinic's context for
    /// this provider and the hold's visit type that the caller has just read (a booking reads it
    /// anyway), so the calendar does not ask the clinic a second time.
    /// </summary>
    Task<Result<SlotHold>> HoldAsync(SlotHold hold, SchedulingContext context);

    /// <summary>Open slots for a visit type between two local dates, inclusive.</summary>
    [ReadOnly]
    Task<Result<IReadOnlyList<Slot>>> GetAvailabilityAsync(DateOnly from, DateOnly to, string appointmentType);

    /// <summary>
    /// Open slots between two local dates under a context the caller read from the clinic (the
    /// clinic-wide search reads it once for every provider).
    /// </summary>
    [ReadOnly]
    Task<Result<IReadOnlyList<Slot>>> GetAvailabilityAsync(DateOnly from, DateOnly to, SchedulingContext context);

    /// <summary>The provider's appointments on one local date of the clinic.</summary>
    [ReadOnly]
    Task<Result<IReadOnlyList<AppointmentSummary>>> ListDayAsync(DateOnly date);

    /// <summary>Reserves one slot for a patient during a checkout (in memory, until it expires).</summary>
    Task<Result<CheckoutHold>> PlaceHoldAsync(PlaceHold command);

    /// <summary>Releases a checkout hold; the released hold, or not found (expired, converted, unknown).</summary>
    Task<Result<CheckoutHold>> ReleaseHoldAsync(string holdId);
}
