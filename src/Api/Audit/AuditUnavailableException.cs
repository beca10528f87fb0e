namespace ClinicCluster.Api.Audit;

/// <summary>The audit event of a request could not be enqueued; the request must not return PHI.</summary>
public sealed class AuditUnavailableException(Exception inner)
    : Exception("The audit trail is unavailable.", inner);
