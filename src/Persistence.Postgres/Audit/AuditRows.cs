using System.Data.Common;
using System.Text.Json;
using ClinicCluster.Audit;
using Npgsql;
using NpgsqlTypes;

namespace ClinicCluster.Persistence.Postgres.Audit;

/// <summary>Maps audit records to rows and back; the stored names are the ones the API shows.</summary>
internal static class AuditRows
{
    private static readonly Dictionary<AuditAction, string> ActionNames = new()
    {
        [AuditAction.Create] = "create",
        [AuditAction.Read] = "read",
        [AuditAction.Update] = "update",
        [AuditAction.Delete] = "delete",
        [AuditAction.Search] = "search",
        [AuditAction.Export] = "export",
        [AuditAction.LoginFailure] = "login-failure",
    };

    private static readonly Dictionary<AuditOutcome, string> OutcomeNames = new()
    {
        [AuditOutcome.Success] = "success",
        [AuditOutcome.Denied] = "denied",
        [AuditOutcome.Error] = "error",
        [AuditOutcome.IntegrityFailure] = "integrity-failure",
    };

    /// <summary>Binds a batch of one clinic for <see cref="AuditSql.InsertBatch"/>: one typed array per column.</summary>
    public static void BindBatch(NpgsqlParameterCollection p, string clinicId, IReadOnlyList<AuditRecord> records)
    {
        p.AddWithValue("clinic_id", clinicId);
        Column(p, "sequence", NpgsqlDbType.Bigint, records, r => r.Sequence);
        Column(p, "event_id", NpgsqlDbType.Uuid, records, r => r.Event.EventId);
        Column(p, "recorded_at", NpgsqlDbType.TimestampTz, records, r => r.Event.RecordedAt.UtcDateTime);
        Column(p, "action", NpgsqlDbType.Text, records, r => ActionNames[r.Event.Action]);
        Column(p, "outcome", NpgsqlDbType.Text, records, r => OutcomeNames[r.Event.Outcome]);
        Column(p, "actor_subject", NpgsqlDbType.Text, records, r => r.Event.Actor.Subject);
        Column(p, "actor_role", NpgsqlDbType.Text, records, r => r.Event.Actor.Role);
        Column(p, "client_address", NpgsqlDbType.Text, records, r => r.Event.Actor.ClientAddress);
        Column(p, "user_agent", NpgsqlDbType.Text, records, r => r.Event.Actor.UserAgent);
        Column(p, "patient_id", NpgsqlDbType.Text, records, r => r.Event.PatientId);
        Column(p, "resource_type", NpgsqlDbType.Text, records, r => r.Event.ResourceType);
        Column(p, "resource_id", NpgsqlDbType.Text, records, r => r.Event.ResourceId);
        Column(p, "operation", NpgsqlDbType.Text, records, r => r.Event.Operation);
        Column(p, "http_status", NpgsqlDbType.Integer, records, r => r.Event.HttpStatus);
        Column(p, "purpose_of_use", NpgsqlDbType.Text, records, r => r.Event.PurposeOfUse);
        Column(p, "correlation_id", NpgsqlDbType.Text, records, r => r.Event.CorrelationId);
        Column(p, "query_kind", NpgsqlDbType.Text, records, r => r.Event.QueryKind);
        Column(p, "result_count", NpgsqlDbType.Integer, records, r => r.Event.ResultCount);
        Column(p, "previous_hash", NpgsqlDbType.Text, records, r => r.PreviousHash);
        Column(p, "hash", NpgsqlDbType.Text, records, r => r.Hash);
        Column(p, "chain_key_id", NpgsqlDbType.Text, records, r => r.ChainKeyId);
        Column(p, "disclosed", NpgsqlDbType.Jsonb, records,
            r => r.Event.DisclosedPatientIds is { } ids ? JsonSerializer.Serialize(ids) : null);
    }

    private static void Column<T>(NpgsqlParameterCollection p, string name, NpgsqlDbType type, IReadOnlyList<AuditRecord> records, Func<AuditRecord, T> value)
    {
        var values = new T[records.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = value(records[i]);
        }

        p.Add(new NpgsqlParameter(name, NpgsqlDbType.Array | type) { Value = values });
    }

    /// <summary>Reads a row selected with <see cref="AuditSql.Columns"/>.</summary>
    public static AuditRecord Read(DbDataReader r)
    {
        var auditEvent = new AuditEvent(
            EventId: r.GetGuid(1),
            RecordedAt: new DateTimeOffset(r.GetDateTime(2), TimeSpan.Zero),
            ClinicId: r.GetString(20),
            Action: ActionNames.Single(a => a.Value == r.GetString(3)).Key,
            Outcome: OutcomeNames.Single(o => o.Value == r.GetString(4)).Key,
            Actor: new AuditActor(Text(r, 5), Text(r, 6), Text(r, 7), Text(r, 8)),
            PatientId: Text(r, 9),
            ResourceType: r.GetString(10),
            ResourceId: Text(r, 11),
            Operation: r.GetString(12),
            HttpStatus: r.GetInt32(13),
            PurposeOfUse: Text(r, 14),
            CorrelationId: Text(r, 15),
            QueryKind: Text(r, 16),
            ResultCount: r.IsDBNull(17) ? null : r.GetInt32(17),
            DisclosedPatientIds: r.IsDBNull(22) ? null : r.GetFieldValue<string[]>(22));
        return new AuditRecord(r.GetInt64(0), auditEvent, r.GetString(18), r.GetString(19), Text(r, 21));
    }

    private static string? Text(DbDataReader r, int ordinal) => r.IsDBNull(ordinal) ? null : r.GetString(ordinal);
}
