namespace ClinicCluster.Audit;

/// <summary>
/// Append-only storage of audit records. Appends are idempotent by event id, so a redelivered
/// stream event never becomes a second record; each append extends its clinic's hash chain.
/// </summary>
public interface IAuditStore
{
    /// <summary>Appends the event; false when a record with its id already exists.</summary>
    Task<bool> AppendAsync(AuditEvent auditEvent);

    /// <summary>One page of a clinic's records, in sequence order.</summary>
    Task<IReadOnlyList<AuditRecord>> QueryAsync(string clinicId, AuditQuery query);
}
