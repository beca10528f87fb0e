using ClinicCluster.Audit;
using Npgsql;
using NpgsqlTypes;

namespace ClinicCluster.Persistence.Postgres.Audit;

/// <summary>The audit store's statements; the tables come from migration 0200_audit_trail.sql.</summary>
internal static class AuditSql
{
    /// <summary>Serialises one clinic's appends, even across two activations of its log grain.</summary>
    public const string LockClinic = "SELECT pg_advisory_xact_lock(hashtextextended('audit:' || @clinic_id, 0))";

    /// <summary>Claims a batch's ids; answers the ones not stored before (a repeat inside the batch is claimed once).</summary>
    public const string ClaimEventIds = """
        INSERT INTO audit.event_ids (event_id, clinic_id)
        SELECT DISTINCT id, @clinic_id FROM unnest(@event_ids) AS id
        ON CONFLICT (event_id) DO NOTHING
        RETURNING event_id
        """;

    /// <summary>
    /// The clinic's chain head, kept by the position trigger (migration 0420): a key lookup, where
    /// the same question asked of audit.events is planned across every monthly partition.
    /// </summary>
    public const string Head = "SELECT sequence, hash FROM audit.chain_heads WHERE clinic_id = @clinic_id";

    /// <summary>
    /// Inserts a whole batch in one statement: one array per column, unnested in step (one row per
    /// index). A row's disclosed patient ids are a JSON array (or null) because PostgreSQL arrays
    /// cannot be jagged; the statement turns each back into text[].
    /// </summary>
    public const string InsertBatch = """
        INSERT INTO audit.events (
            clinic_id, sequence, event_id, recorded_at, action, outcome, actor_subject, actor_role,
            client_address, user_agent, patient_id, resource_type, resource_id, operation, http_status,
            purpose_of_use, correlation_id, query_kind, result_count, previous_hash, hash, chain_key_id, disclosed_patient_ids)
        SELECT
            @clinic_id, r.sequence, r.event_id, r.recorded_at, r.action, r.outcome, r.actor_subject, r.actor_role,
            r.client_address, r.user_agent, r.patient_id, r.resource_type, r.resource_id, r.operation, r.http_status,
            r.purpose_of_use, r.correlation_id, r.query_kind, r.result_count, r.previous_hash, r.hash, r.chain_key_id,
            CASE WHEN r.disclosed IS NULL THEN NULL ELSE ARRAY(SELECT jsonb_array_elements_text(r.disclosed)) END
        FROM unnest(
            @sequence, @event_id, @recorded_at, @action, @outcome, @actor_subject, @actor_role,
            @client_address, @user_agent, @patient_id, @resource_type, @resource_id, @operation, @http_status,
            @purpose_of_use, @correlation_id, @query_kind, @result_count, @previous_hash, @hash, @chain_key_id, @disclosed)
            AS r(sequence, event_id, recorded_at, action, outcome, actor_subject, actor_role,
                 client_address, user_agent, patient_id, resource_type, resource_id, operation, http_status,
                 purpose_of_use, correlation_id, query_kind, result_count, previous_hash, hash, chain_key_id, disclosed)
        """;

    public const string Columns = """
        sequence, event_id, recorded_at, action, outcome, actor_subject, actor_role, client_address, user_agent,
        patient_id, resource_type, resource_id, operation, http_status, purpose_of_use, correlation_id,
        query_kind, result_count, previous_hash, hash, clinic_id, chain_key_id, disclosed_patient_ids
        """;

    /// <summary>
    /// One page of a clinic's trail in sequence order (keyset: <c>sequence &gt; @after</c>), with only
    /// the filters asked for. A filter left out is left out of the text, not written as
    /// <c>@x IS NULL OR ...</c>, so a plan (custom or generic) can use the patient and time indexes
    /// (migration 0470): the two queries auditors ask, a patient's disclosures and a day's events,
    /// read an index range instead of walking the clinic's chain.
    /// </summary>
    private static readonly TimeSpan NarrowWindow = TimeSpan.FromDays(7);

    public static string Query(AuditQuery query)
    {
        var where = new List<string> { "clinic_id = @clinic_id", "sequence > @after" };
        if (query.PatientId is not null)
        {
            where.Add("(patient_id = @patient_id OR disclosed_patient_ids @> ARRAY[@patient_id::text])");
        }

        if (query.ActorSubject is not null)
        {
            where.Add("actor_subject = @actor");
        }

        if (query.From is not null)
        {
            where.Add("recorded_at >= @from");
        }

        if (query.To is not null)
        {
            where.Add("recorded_at < @to");
        }

        var filter = string.Join(" AND ", where);
        if (query.PatientId is null && query.From is { } from && query.To is { } to && to - from <= NarrowWindow)
        {
            // A narrow time window (a day's events): in sequence order the planner walks the
            // clinic's month from its first row to the window. "sequence + 0" takes the order away
            // from the primary key, so the window is read from events_by_time (index only), its page
            // picked there, and only the page's rows are fetched. The cost follows the window's rows,
            // not the trail's; a wide window keeps the walk, which stops at the page.
            return $"""
                SELECT {Columns} FROM audit.events WHERE {filter} AND (sequence, recorded_at) IN (
                    SELECT sequence, recorded_at FROM audit.events WHERE {filter} ORDER BY sequence + 0 LIMIT @limit)
                ORDER BY sequence
                """;
        }

        return $"SELECT {Columns} FROM audit.events WHERE {filter} ORDER BY sequence LIMIT @limit";
    }

    /// <summary>Binds the parameters <see cref="Query"/> names for this query.</summary>
    public static void BindQuery(NpgsqlParameterCollection p, string clinicId, AuditQuery query)
    {
        p.AddWithValue("clinic_id", clinicId);
        p.AddWithValue("after", query.AfterSequence);
        p.AddWithValue("limit", query.Limit);
        if (query.PatientId is not null)
        {
            p.Add(new NpgsqlParameter("patient_id", NpgsqlDbType.Text) { Value = query.PatientId });
        }

        if (query.ActorSubject is not null)
        {
            p.Add(new NpgsqlParameter("actor", NpgsqlDbType.Text) { Value = query.ActorSubject });
        }

        if (query.From is { } from)
        {
            p.Add(new NpgsqlParameter("from", NpgsqlDbType.TimestampTz) { Value = from.UtcDateTime });
        }

        if (query.To is { } to)
        {
            p.Add(new NpgsqlParameter("to", NpgsqlDbType.TimestampTz) { Value = to.UtcDateTime });
        }
    }

    /// <summary>
    /// Each clinic's chain head as audit.events holds it, for the checkpoints (not the head row,
    /// which a forger could move). The clinics come from audit.chain_heads and each head is one
    /// backward primary-key probe per partition: a DISTINCT ON over audit.events read every row.
    /// </summary>
    public const string Heads = """
        SELECT h.clinic_id, e.sequence, e.hash FROM audit.chain_heads h
        CROSS JOIN LATERAL (
            SELECT sequence, hash FROM audit.events WHERE clinic_id = h.clinic_id ORDER BY sequence DESC LIMIT 1) e
        ORDER BY h.clinic_id
        """;

    /// <summary>
    /// Every clinic that ever appended, for <c>audit verify --all</c>: audit.chain_heads keeps a row per
    /// clinic that nobody may delete, so a clinic whose rows were all removed is still named.
    /// </summary>
    public const string Clinics = "SELECT clinic_id FROM audit.chain_heads ORDER BY clinic_id";

    public const string Chain = $"""
        SELECT {Columns} FROM audit.events WHERE clinic_id = @clinic_id AND sequence > @after ORDER BY sequence, recorded_at
        """;
}
