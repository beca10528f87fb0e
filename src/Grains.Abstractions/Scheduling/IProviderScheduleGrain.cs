using ClinicCluster.Common;

namespace ClinicCluster.Scheduling;

/// <summary>
/// A provider's appointments and open slots; admits a hold only inside working hours, outside time
/// off and clear of other visits and their buffers. Key: "{clinicId}/{providerId}".
/// </summary>
public interface IProviderScheduleGrain : IScheduleGrain
{
    /// <summary>Open slots for a visit type between two local dates, inclusive.</summary>
    [ReadOnly]
    Task<Result<IReadOnlyList<Slot>>> GetAvailabilityAsync(DateOnly from, DateOnly to, string appointmentType);

    /// <summary>The provider's appointments on one local date of the clinic.</summary>
    [ReadOnly]
    Task<Result<IReadOnlyList<AppointmentSummary>>> ListDayAsync(DateOnly date);
}
