using ClinicCluster.Common;

namespace ClinicCluster.Scheduling;

/// <summary>
/// One appointment and its lifecycle; it coordinates the provider's and the patient's schedules.
/// Key: "{clinicId}/{appointmentId}".
/// </summary>
public interface IAppointmentGrain : IGrainWithStringKey
{
    /// <summary>
    /// Books the visit. <paramref name="requestFingerprint"/> identifies the request body when the
    /// id came from an idempotency key: a replay returns the first outcome, another body is refused.
    /// </summary>
    Task<Result<Appointment>> BookAsync(BookAppointment command, string? requestFingerprint);

    /// <summary>The appointment, or null when none was booked under this id.</summary>
    [AlwaysInterleave]
    Task<Appointment?> GetAsync();

    /// <summary>Moves the visit; the new slot is held before the old one is freed.</summary>
    Task<Result<Appointment>> RescheduleAsync(DateTimeOffset newStart);

    /// <summary>
    /// Cancels a booked or checked-in visit; a checked-in one needs <paramref name="code"/> (the
    /// free-text <paramref name="reason"/> is always optional).
    /// </summary>
    Task<Result<Appointment>> CancelAsync(string? reason, CancellationReasonCode? code);

    /// <summary>
    /// Moves the visit to checked-in, fulfilled or noshow, when that transition is legal and its
    /// time window (the clinic's policy) is open.
    /// </summary>
    Task<Result<Appointment>> ChangeStatusAsync(AppointmentStatus target);

    /// <summary>
    /// <see cref="RescheduleAsync(DateTimeOffset)"/> only while the appointment is at
    /// <paramref name="expectedVersion"/> (a conditional update, FHIR If-Match); otherwise a
    /// conflict <c>version-mismatch</c> and nothing changes.
    /// </summary>
    Task<Result<Appointment>> RescheduleAsync(DateTimeOffset newStart, long expectedVersion);

    /// <summary><see cref="CancelAsync(string?, CancellationReasonCode?)"/> only at <paramref name="expectedVersion"/>.</summary>
    Task<Result<Appointment>> CancelAsync(string? reason, CancellationReasonCode? code, long expectedVersion);

    /// <summary><see cref="ChangeStatusAsync(AppointmentStatus)"/> only at <paramref name="expectedVersion"/>.</summary>
    Task<Result<Appointment>> ChangeStatusAsync(AppointmentStatus target, long expectedVersion);

    /// <summary>Compares this activation's view with the ledger row and adopts the ledger's; the differences.</summary>
    Task<IReadOnlyList<ReconcileFinding>> ReconcileAsync();
}
