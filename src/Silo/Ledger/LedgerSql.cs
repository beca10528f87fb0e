namespace ClinicCluster.Silo.Ledger;

/// <summary>The ledger's statements; the table itself is created by migration 0100_appointment_ledger.sql.</summary>
internal static class LedgerSql
{
    public const string PatientOverlapConstraint = "appointment_ledger_no_patient_overlap";

    public const string Upsert = """
        INSERT INTO scheduling.appointment_ledger
            (clinic_id, appointment_id, patient_id, provider_id, appointment_type,
             starts_at, ends_at, blocked_until, status, time_zone, updated_at)
        VALUES (@clinic_id, @appointment_id, @patient_id, @provider_id, @appointment_type,
                @starts_at, @ends_at, @blocked_until, @status, @time_zone, now())
        ON CONFLICT (clinic_id, appointment_id) DO UPDATE SET
            starts_at = excluded.starts_at,
            ends_at = excluded.ends_at,
            blocked_until = excluded.blocked_until,
            status = excluded.status,
            updated_at = now()
        """;

    public const string Delete = """
        DELETE FROM scheduling.appointment_ledger WHERE clinic_id = @clinic_id AND appointment_id = @appointment_id
        """;

    private const string Columns = "appointment_id, patient_id, provider_id, appointment_type, starts_at, ends_at, status, time_zone";

    public const string ListByProvider = $"""
        SELECT {Columns} FROM scheduling.appointment_ledger
        WHERE clinic_id = @clinic_id AND provider_id = @provider_id AND starts_at >= @from AND starts_at < @to
        ORDER BY starts_at, appointment_id
        """;

    public const string ListByPatient = $"""
        SELECT {Columns} FROM scheduling.appointment_ledger
        WHERE clinic_id = @clinic_id AND patient_id = @patient_id
        ORDER BY starts_at, appointment_id
        """;
}
