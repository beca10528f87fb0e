using ClinicCluster.Common;

namespace ClinicCluster.Scheduling;

/// <summary>
/// The durable record of every appointment's range and status, kept outside grain state. In
/// PostgreSQL it is a table whose exclusion constraints make two overlapping active appointments
/// of one provider, or of one patient, impossible even if two activations of a calendar ever run
/// at once; it also serves the list queries from indexes. The embedded default has no ledger:
/// the calendars' own state answers.
/// </summary>
public interface IAppointmentLedger
{
    /// <summary>Whether lists come from the ledger (true) or from the calendars' state (false).</summary>
    bool ServesQueries { get; }

    /// <summary>
    /// Writes the appointment's current range and status; the conflict when the ledger already has
    /// an overlapping active appointment for the same provider or patient.
    /// </summary>
    Task<Error?> WriteAsync(string clinicId, string timeZone, AppointmentSummary appointment, DateTimeOffset blockedUntil);

    /// <summary>Forgets an appointment whose booking failed after it was written.</summary>
    Task RemoveAsync(string clinicId, string appointmentId);

    /// <summary>A provider's appointments starting in [from, to), ordered by start.</summary>
    Task<IReadOnlyList<AppointmentSummary>> ListByProviderAsync(string clinicId, string providerId, DateTimeOffset from, DateTimeOffset to);

    /// <summary>A patient's appointments, ordered by start.</summary>
    Task<IReadOnlyList<AppointmentSummary>> ListByPatientAsync(string clinicId, string patientId);
}
