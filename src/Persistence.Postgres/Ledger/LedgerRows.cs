using ClinicCluster.Clinics;
using ClinicCluster.Scheduling;
using Npgsql;

namespace ClinicCluster.Persistence.Postgres.Ledger;

/// <summary>Reads a <see cref="LedgerRow"/> from the columns of <see cref="LedgerSql.Columns"/>, in that order.</summary>
internal static class LedgerRows
{
    private static readonly Dictionary<string, AppointmentStatus> Statuses =
        Enum.GetValues<AppointmentStatus>().ToDictionary(AppointmentTransitions.Name, s => s, StringComparer.Ordinal);

    public static LedgerRow Read(NpgsqlDataReader reader) => new(
        ClinicId: reader.GetString(0),
        AppointmentId: reader.GetString(1),
        PatientId: reader.GetString(2),
        ProviderId: reader.GetString(3),
        AppointmentType: reader.GetString(4),
        Start: reader.GetFieldValue<DateTimeOffset>(5),
        End: reader.GetFieldValue<DateTimeOffset>(6),
        BufferMinutes: reader.GetInt32(7),
        Status: Statuses[reader.GetString(8)],
        TimeZone: reader.GetString(9),
        Reason: reader.IsDBNull(10) ? null : reader.GetString(10),
        CancellationReason: reader.IsDBNull(11) ? null : reader.GetString(11),
        RequestFingerprint: reader.IsDBNull(12) ? null : reader.GetString(12),
        CreatedAt: reader.GetFieldValue<DateTimeOffset>(13),
        UpdatedAt: reader.GetFieldValue<DateTimeOffset>(14),
        BookedStart: reader.GetFieldValue<DateTimeOffset>(15),
        BookedEnd: reader.GetFieldValue<DateTimeOffset>(16),
        Version: reader.GetInt64(17),
        DueSoonNoticedAt: reader.IsDBNull(18) ? null : reader.GetFieldValue<DateTimeOffset>(18),
        CancellationCode: reader.IsDBNull(19) ? null : CancellationReasonCodes.Parse(reader.GetString(19)));

    /// <summary>An <see cref="AppointmentSummary"/> from the columns of <see cref="LedgerSql.SummaryColumns"/>, in that order.</summary>
    public static AppointmentSummary ReadSummary(NpgsqlDataReader reader)
    {
        var zone = reader.GetString(7);
        return new AppointmentSummary(
            Id: reader.GetString(0),
            PatientId: reader.GetString(1),
            ProviderId: reader.GetString(2),
            AppointmentType: reader.GetString(3),
            Start: ClinicTimeZones.ToZoned(zone, reader.GetFieldValue<DateTimeOffset>(4)),
            End: ClinicTimeZones.ToZoned(zone, reader.GetFieldValue<DateTimeOffset>(5)),
            Status: Statuses[reader.GetString(6)]);
    }
}
