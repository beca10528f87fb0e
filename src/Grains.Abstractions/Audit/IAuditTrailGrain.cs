namespace ClinicCluster.Audit;

/// <summary>
/// Reads a clinic's audit trail for auditors. Key: the clinic id. Writing happens only through the
/// clinic's audit stream, never through this interface.
/// </summary>
public interface IAuditTrailGrain : IGrainWithStringKey
{
    /// <summary>One page of events matching the query, in sequence order.</summary>
    Task<IReadOnlyList<AuditRecord>> QueryAsync(AuditQuery query);
}
