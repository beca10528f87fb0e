using ClinicCluster.Audit;
using Orleans.Runtime;
using Orleans.Streams;

namespace ClinicCluster.Api.Audit;

/// <summary>
/// Publishes each event on its clinic's audit stream. With the persistent provider the publish
/// returns once the event is in the queue table, so a silo dying afterwards cannot lose it.
/// </summary>
public sealed class StreamAuditTrail(IClusterClient client) : IAuditTrail
{
    public Task RecordAsync(AuditEvent auditEvent, CancellationToken cancellationToken) =>
        client.GetStreamProvider(AuditStreams.ProviderName)
            .GetStream<AuditEvent>(StreamId.Create(AuditStreams.Namespace, auditEvent.ClinicId))
            .OnNextAsync(auditEvent);
}
