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

    public const string Query = $"""
        SELECT {Columns} FROM audit.events
        WHERE clinic_id = @clinic_id AND sequence > @after
          AND (@patient_id::text IS NULL OR patient_id = @patient_id OR disclosed_patient_ids @> ARRAY[@patient_id::text])
          AND (@actor::text IS NULL OR actor_subject = @actor)
          AND (@from::timestamptz IS NULL OR recorded_at >= @from)
          AND (@to::timestamptz IS NULL OR recorded_at < @to)
        ORDER BY sequence
        LIMIT @limit
        """;

    /// <summary>Each clinic's chain head, for the checkpoints.</summary>
    public const string Heads = """
        SELECT DISTINCT ON (clinic_id) clinic_id, sequence, hash FROM audit.events ORDER BY clinic_id, sequence DESC
        """;

    /// <summary>Every clinic with audit records, for <c>audit verify --all</c> (one row per clinic, from the (clinic_id, sequence) index).</summary>
    public const string Clinics = "SELECT DISTINCT clinic_id FROM audit.events ORDER BY clinic_id";

    public const string Chain = $"""
        SELECT {Columns} FROM audit.events WHERE clinic_id = @clinic_id ORDER BY sequence, recorded_at
        """;
}
