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
    /// Open slots between two local dates under a context the caller read from the clinic. The
    /// clinic-wide search of the previous release calls it; kept so that a rolling update, where
    /// such a search meets a calendar of this release, goes on answering.
    /// </summary>
    [ReadOnly]
    Task<Result<IReadOnlyList<Slot>>> GetAvailabilityAsync(DateOnly from, DateOnly to, SchedulingContext context);

    /// <summary>
    /// The first <paramref name="limit"/> open slots between two local dates that start at or after
    /// <paramref name="notBefore"/>, under a context the caller read from the clinic. The clinic-wide
    /// search of the previous release asks every calendar this (decision 0054); this release's replica
    /// asks it only of a calendar that cannot give its busy time (decision 0059). Kept for one release.
    /// Interleaved with every other call: it awaits nothing, so it runs whole between two steps of
    /// any other call and reads the calendar as the last completed step left it, instead of queueing
    /// behind bookings, reconciliations and their database round trips.
    /// </summary>
    [AlwaysInterleave]
    Task<Result<IReadOnlyList<Slot>>> GetEarliestSlotsAsync(DateOnly from, DateOnly to, SchedulingContext context, DateTimeOffset notBefore, int limit);

    /// <summary>
    /// The calendar's busy time as it publishes it to the clinic's replica (decision 0059): asked
    /// by the replica when it has no current data for this provider (on its first search, or after a
    /// publication failed). Interleaved like <see cref="GetEarliestSlotsAsync"/>: it awaits nothing,
    /// and a calendar waiting on its own publication must still answer it.
    /// </summary>
    [AlwaysInterleave]
    Task<CalendarBusyTime> GetBusyTimeAsync();

    /// <summary>The provider's appointments on one local date of the clinic.</summary>
    [ReadOnly]
    Task<Result<IReadOnlyList<AppointmentSummary>>> ListDayAsync(DateOnly date);

    /// <summary>Reserves one slot for a patient during a checkout (in memory, until it expires).</summary>
    Task<Result<CheckoutHold>> PlaceHoldAsync(PlaceHold command);

    /// <summary>Releases a checkout hold; the released hold, or not found (expired, converted, unknown).</summary>
    Task<Result<CheckoutHold>> ReleaseHoldAsync(string holdId);
}
