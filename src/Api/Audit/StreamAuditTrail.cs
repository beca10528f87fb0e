using System.Diagnostics;
using System.Diagnostics.Metrics;
using ClinicCluster.Audit;
using ClinicCluster.Telemetry;
using Orleans.Runtime;
using Orleans.Streams;

namespace ClinicCluster.Api.Audit;

/// <summary>
/// Publishes events on their clinic's audit stream, group-committed (<see cref="AuditGroupCommit"/>):
/// the events of concurrent requests of one clinic go as one batch, which the persistent provider
/// stores as one queue row. A request returns once the batch holding its event is in the queue
/// table, so a silo dying afterwards cannot lose it.
/// </summary>
public sealed class StreamAuditTrail : IAuditTrail
{
    /// <summary>
    /// Events per published batch at most: bounds one queue row (a few hundred bytes per event)
    /// and how much one failing publish refuses at once.
    /// </summary>
    public const int MaxBatchSize = 256;

    // The audit meter, shared with AuditLogGrain and the silo's dead-letter gauge. The
    // only tag is the outcome: never ids or PHI.
    private static readonly Meter Meter = new(TelemetryNames.AuditMeter);

    private static readonly Histogram<double> EnqueueDuration = Meter.CreateHistogram<double>(
        "audit.enqueue.duration", "ms", "Time to hand an audit event to the stream (durably queued when it returns).");

    private static readonly Histogram<int> BatchSize = Meter.CreateHistogram<int>(
        "audit.enqueue.batch_size", "{event}", "Events published together by the API's group commit.");

    private readonly IClusterClient _client;
    private readonly AuditGroupCommit _groupCommit;

    public StreamAuditTrail(IClusterClient client)
    {
        _client = client;
        _groupCommit = new AuditGroupCommit(PublishAsync, MaxBatchSize);
    }

    public async Task RecordAsync(AuditEvent auditEvent, CancellationToken cancellationToken)
    {
        // The token is not passed on: once the event is on its way, the caller leaving does not
        // take it back, and the publish cannot be cancelled half-way anyway.
        var started = Stopwatch.GetTimestamp();
        var outcome = "error";
        try
        {
            await _groupCommit.EnqueueAsync(auditEvent);
            outcome = "ok";
        }
        finally
        {
            EnqueueDuration.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds, new KeyValuePair<string, object?>("outcome", outcome));
        }
    }

    private Task PublishAsync(string clinicId, IReadOnlyList<AuditEvent> events)
    {
        BatchSize.Record(events.Count);
        var stream = _client.GetStreamProvider(AuditStreams.ProviderName)
            .GetStream<AuditEvent>(StreamId.Create(AuditStreams.Namespace, clinicId));
        return events.Count == 1 ? stream.OnNextAsync(events[0]) : stream.OnNextBatchAsync(events);
    }
}
