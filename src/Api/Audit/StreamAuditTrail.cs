using System.Diagnostics;
using System.Diagnostics.Metrics;
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
    // Meter "ClinicCluster.Audit", shared with AuditLogGrain and the silo's dead-letter gauge. The
    // only tag is the outcome: never ids or PHI.
    private static readonly Meter Meter = new("ClinicCluster.Audit");

    private static readonly Histogram<double> EnqueueDuration = Meter.CreateHistogram<double>(
        "audit.enqueue.duration", "ms", "Time to hand an audit event to the stream (durably queued when it returns).");

    public async Task RecordAsync(AuditEvent auditEvent, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var outcome = "error";
        try
        {
            await client.GetStreamProvider(AuditStreams.ProviderName)
                .GetStream<AuditEvent>(StreamId.Create(AuditStreams.Namespace, auditEvent.ClinicId))
                .OnNextAsync(auditEvent);
            outcome = "ok";
        }
        finally
        {
            EnqueueDuration.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds, new KeyValuePair<string, object?>("outcome", outcome));
        }
    }
}
