using ClinicCluster.Common;

namespace ClinicCluster.Scheduling;

/// <summary>The embedded default: no database, so the calendars' state is the only record.</summary>
public sealed class NoAppointmentLedger : IAppointmentLedger
{
    public bool ServesQueries => false;

    public Task<Error?> WriteAsync(string clinicId, string timeZone, AppointmentSummary appointment, DateTimeOffset blockedUntil) =>
        Task.FromResult<Error?>(null);

    public Task RemoveAsync(string clinicId, string appointmentId) => Task.CompletedTask;

    public Task<IReadOnlyList<AppointmentSummary>> ListByProviderAsync(string clinicId, string providerId, DateTimeOffset from, DateTimeOffset to) =>
        throw new NotSupportedException("The embedded default serves lists from the calendars.");

    public Task<IReadOnlyList<AppointmentSummary>> ListByPatientAsync(string clinicId, string patientId) =>
        throw new NotSupportedException("The embedded default serves lists from the calendars.");
}
