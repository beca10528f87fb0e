using ClinicCluster.Audit;

namespace ClinicCluster.Api.Audit;

/// <summary>Where the API sends audit events. Completes only when the event is durably enqueued.</summary>
public interface IAuditTrail
{
    Task RecordAsync(AuditEvent auditEvent, CancellationToken cancellationToken);
}
