using System.Data.Common;
using ClinicCluster.Audit;
using Npgsql;

namespace ClinicCluster.Silo.Audit;

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
    };

    public static void Bind(NpgsqlParameterCollection p, AuditRecord record)
    {
        var e = record.Event;
        p.AddWithValue("clinic_id", e.ClinicId);
        p.AddWithValue("sequence", record.Sequence);
        p.AddWithValue("event_id", e.EventId);
        p.AddWithValue("recorded_at", e.RecordedAt.UtcDateTime);
        p.AddWithValue("action", ActionNames[e.Action]);
        p.AddWithValue("outcome", OutcomeNames[e.Outcome]);
        p.AddWithValue("actor_subject", (object?)e.Actor.Subject ?? DBNull.Value);
        p.AddWithValue("actor_role", (object?)e.Actor.Role ?? DBNull.Value);
        p.AddWithValue("client_address", (object?)e.Actor.ClientAddress ?? DBNull.Value);
        p.AddWithValue("user_agent", (object?)e.Actor.UserAgent ?? DBNull.Value);
        p.AddWithValue("patient_id", (object?)e.PatientId ?? DBNull.Value);
        p.AddWithValue("resource_type", e.ResourceType);
        p.AddWithValue("resource_id", (object?)e.ResourceId ?? DBNull.Value);
        p.AddWithValue("operation", e.Operation);
        p.AddWithValue("http_status", e.HttpStatus);
        p.AddWithValue("purpose_of_use", (object?)e.PurposeOfUse ?? DBNull.Value);
        p.AddWithValue("correlation_id", (object?)e.CorrelationId ?? DBNull.Value);
        p.AddWithValue("query_kind", (object?)e.QueryKind ?? DBNull.Value);
        p.AddWithValue("result_count", (object?)e.ResultCount ?? DBNull.Value);
        p.AddWithValue("previous_hash", record.PreviousHash);
        p.AddWithValue("hash", record.Hash);
        p.AddWithValue("chain_key_id", (object?)record.ChainKeyId ?? DBNull.Value);
        p.Add(new NpgsqlParameter("disclosed_patient_ids", NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Text)
        {
            Value = (object?)e.DisclosedPatientIds?.ToArray() ?? DBNull.Value,
        });
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
