using ClinicCluster.Clinics;
using ClinicCluster.Common;
using ClinicCluster.Scheduling;
using Npgsql;

namespace ClinicCluster.Silo.Ledger;

/// <summary>
/// The appointment ledger in PostgreSQL (table <c>scheduling.appointment_ledger</c>). Two exclusion
/// constraints forbid overlapping active ranges per provider (with buffer) and per patient, so the
/// database refuses a double booking even if two activations of one calendar grain ever run at
/// once during a membership change. Lists are served from its indexes.
/// </summary>
public sealed class PostgresAppointmentLedger(NpgsqlDataSource dataSource) : IAppointmentLedger
{
    private const string ExclusionViolation = "23P01";

    public bool ServesQueries => true;

    public async Task<Error?> WriteAsync(string clinicId, string timeZone, AppointmentSummary appointment, DateTimeOffset blockedUntil)
    {
        await using var command = dataSource.CreateCommand(LedgerSql.Upsert);
        command.Parameters.AddWithValue("clinic_id", clinicId);
        command.Parameters.AddWithValue("appointment_id", appointment.Id);
        command.Parameters.AddWithValue("patient_id", appointment.PatientId);
        command.Parameters.AddWithValue("provider_id", appointment.ProviderId);
        command.Parameters.AddWithValue("appointment_type", appointment.AppointmentType);
        command.Parameters.AddWithValue("starts_at", appointment.Start.UtcDateTime);
        command.Parameters.AddWithValue("ends_at", appointment.End.UtcDateTime);
        command.Parameters.AddWithValue("blocked_until", blockedUntil.UtcDateTime);
        command.Parameters.AddWithValue("status", AppointmentTransitions.Name(appointment.Status));
        command.Parameters.AddWithValue("time_zone", timeZone);
        try
        {
            await command.ExecuteNonQueryAsync();
            return null;
        }
        catch (PostgresException exception) when (exception.SqlState == ExclusionViolation)
        {
            return exception.ConstraintName == LedgerSql.PatientOverlapConstraint
                ? Error.Conflict("patient-busy", "The patient already has an appointment that overlaps this time.")
                : Error.Conflict("provider-busy", "The provider already has an appointment that overlaps this time.");
        }
    }

    public async Task RemoveAsync(string clinicId, string appointmentId)
    {
        await using var command = dataSource.CreateCommand(LedgerSql.Delete);
        command.Parameters.AddWithValue("clinic_id", clinicId);
        command.Parameters.AddWithValue("appointment_id", appointmentId);
        await command.ExecuteNonQueryAsync();
    }

    public async Task<IReadOnlyList<AppointmentSummary>> ListByProviderAsync(string clinicId, string providerId, DateTimeOffset from, DateTimeOffset to)
    {
        await using var command = dataSource.CreateCommand(LedgerSql.ListByProvider);
        command.Parameters.AddWithValue("clinic_id", clinicId);
        command.Parameters.AddWithValue("provider_id", providerId);
        command.Parameters.AddWithValue("from", from.UtcDateTime);
        command.Parameters.AddWithValue("to", to.UtcDateTime);
        return await ReadAsync(command);
    }

    public async Task<IReadOnlyList<AppointmentSummary>> ListByPatientAsync(string clinicId, string patientId)
    {
        await using var command = dataSource.CreateCommand(LedgerSql.ListByPatient);
        command.Parameters.AddWithValue("clinic_id", clinicId);
        command.Parameters.AddWithValue("patient_id", patientId);
        return await ReadAsync(command);
    }

    private static async Task<IReadOnlyList<AppointmentSummary>> ReadAsync(NpgsqlCommand command)
    {
        var list = new List<AppointmentSummary>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var timeZone = reader.GetString(7);
            list.Add(new AppointmentSummary(
                Id: reader.GetString(0),
                PatientId: reader.GetString(1),
                ProviderId: reader.GetString(2),
                AppointmentType: reader.GetString(3),
                Start: ClinicTimeZones.ToZoned(timeZone, reader.GetFieldValue<DateTimeOffset>(4)),
                End: ClinicTimeZones.ToZoned(timeZone, reader.GetFieldValue<DateTimeOffset>(5)),
                Status: ParseStatus(reader.GetString(6))));
        }

        return list;
    }

    private static AppointmentStatus ParseStatus(string name) =>
        Enum.GetValues<AppointmentStatus>().First(s => AppointmentTransitions.Name(s) == name);
}
