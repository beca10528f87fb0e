namespace ClinicCluster.Audit;

/// <summary>
/// Append-only storage of audit records. Appends are idempotent by event id, so a redelivered
/// stream event never becomes a second record; each append extends its clinic's hash chain.
/// </summary>
public interface IAuditStore
{
    /// <summary>Appends the event; false when a record with its id already exists.</summary>
    Task<bool> AppendAsync(AuditEvent auditEvent);

    /// <summary>
    /// Appends one clinic's events in their order, all or none: one transaction, the chain
    /// extended link by link over the batch. Events whose id is already stored (or repeated
    /// within the batch) are skipped; answers the records that were added.
    /// </summary>
    Task<IReadOnlyList<AuditRecord>> AppendBatchAsync(IReadOnlyList<AuditEvent> events);

    /// <summary>One page of a clinic's records, in sequence order.</summary>
    Task<IReadOnlyList<AuditRecord>> QueryAsync(string clinicId, AuditQuery query);
}
