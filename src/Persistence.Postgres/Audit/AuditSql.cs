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

    /// <summary>The columns <see cref="Columns"/> names, of the events aliased <c>e</c>.</summary>
    private static readonly string EventColumns = string.Join(", ", Columns.Split(',').Select(c => "e." + c.Trim()));

    /// <summary>
    /// One page of a clinic's trail in sequence order (keyset: <c>sequence &gt; @after</c>), with only
    /// the filters asked for: a filter left out is left out of the text, not written as
    /// <c>@x IS NULL OR ...</c>, so the plan can use the index that serves it (migration 0480).
    /// A patient's events are read from audit.event_patients in sequence order and joined to their
    /// events, so a page reads its own rows whatever the patient's history; a time window becomes
    /// the sequence range its hours' marks give, walked on the primary key.
    /// </summary>
    public static string Query(AuditQuery query)
    {
        if (query.PatientId is not null)
        {
            var patient = new List<string> { "patient_key = audit.patient_key(@clinic_id, @patient_id)", "sequence > @after" };
            Window(patient, query);
            const string Names = "(e.patient_id = @patient_id OR e.disclosed_patient_ids @> ARRAY[@patient_id::text])";
            if (IsIndexPage(query))
            {
                // The page is cut on the index, before the join: planned as one join, the row
                // estimate of a patient is far too low and the plan joins all of them and sorts.
                // The index row's sequence comes last, with no event when the event does not name
                // the patient (a key collision): the store then reads on from it (PostgresAuditStore).
                return $"""
                    SELECT {EventColumns}, p.sequence FROM (
                        SELECT sequence, recorded_at FROM audit.event_patients
                        WHERE {string.Join(" AND ", patient)} ORDER BY sequence LIMIT @limit) p
                    LEFT JOIN audit.events e ON e.clinic_id = @clinic_id AND e.sequence = p.sequence AND e.recorded_at = p.recorded_at
                        AND {Names}
                    ORDER BY p.sequence
                    """;
            }

            // With an actor too, the page is cut after the join (the actor is the event's).
            return $"""
                SELECT {EventColumns} FROM audit.event_patients p
                JOIN audit.events e ON e.clinic_id = @clinic_id AND e.sequence = p.sequence AND e.recorded_at = p.recorded_at
                WHERE {string.Join(" AND ", patient.Select(c => "p." + c))} AND {Names} AND e.actor_subject = @actor
                ORDER BY p.sequence LIMIT @limit
                """;
        }

        var where = new List<string> { "clinic_id = @clinic_id", "sequence > @after" };
        if (query.ActorSubject is not null)
        {
            where.Add("actor_subject = @actor");
        }

        if (query.From is not null || query.To is not null)
        {
            // Scalar subqueries are computed once, before the walk, and bound the index range.
            Window(where, query);
            where.Add("sequence >= (SELECT min(first_sequence) FROM audit.time_marks WHERE clinic_id = @clinic_id AND hour >= @from_hour AND hour < @to_hour)");
            where.Add("sequence <= (SELECT max(last_sequence) FROM audit.time_marks WHERE clinic_id = @clinic_id AND hour >= @from_hour AND hour < @to_hour)");
        }

        return $"SELECT {Columns} FROM audit.events WHERE {string.Join(" AND ", where)} ORDER BY sequence LIMIT @limit";
    }

    /// <summary>Whether <see cref="Query"/> cuts the page on the patient index (its last column is the index row's sequence).</summary>
    public static bool IsIndexPage(AuditQuery query) => query.PatientId is not null && query.ActorSubject is null;

    private static void Window(List<string> where, AuditQuery query)
    {
        if (query.From is not null)
        {
            where.Add("recorded_at >= @from");
        }

        if (query.To is not null)
        {
            where.Add("recorded_at < @to");
        }
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

        if (query.PatientId is null && (query.From is not null || query.To is not null))
        {
            // The hours (UTC, since the epoch) that overlap [from, to): the marks' buckets.
            p.AddWithValue("from_hour", query.From is { } start ? Hour(start, ceiling: false) : long.MinValue);
            p.AddWithValue("to_hour", query.To is { } end ? Hour(end, ceiling: true) : long.MaxValue);
        }
    }

    private static long Hour(DateTimeOffset at, bool ceiling)
    {
        var seconds = at.ToUnixTimeMilliseconds() / 1000.0;
        return (long)(ceiling ? Math.Ceiling(seconds / 3600) : Math.Floor(seconds / 3600));
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

    // Every row at one sequence (an inserted duplicate shows as a second one).
    public const string HashesAt = "SELECT hash FROM audit.events WHERE clinic_id = @clinic_id AND sequence = @sequence";
}
