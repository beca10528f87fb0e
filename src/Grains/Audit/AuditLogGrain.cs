using System.Diagnostics.Metrics;
using ClinicCluster.Telemetry;
using Microsoft.Extensions.Logging;
using Orleans.Streams;
using Orleans.Streams.Core;

namespace ClinicCluster.Audit;

/// <summary>
/// A clinic's audit log. Implicitly subscribed to the clinic's audit stream, so every event
/// published for the clinic reaches it without any registration; one activation per clinic keeps
/// the clinic's hash chain in order. It consumes as a batch observer: whatever the pulling agent
/// hands over at once (several queue rows, each holding the events of many API requests) is
/// appended in one transaction, which is what lets the trail keep up with the read path. It also
/// answers the auditors' queries.
/// </summary>
[ImplicitStreamSubscription(AuditStreams.Namespace)]
public sealed partial class AuditLogGrain(IAuditStore store, ILogger<AuditLogGrain> logger)
    : Grain, IAuditTrailGrain, IStreamSubscriptionObserver, IAsyncBatchObserver<AuditEvent>
{
    // The audit meter, shared with the API and the silo's dead-letter gauge. No tags:
    // clinic, patient and event ids must not reach metrics.
    private static readonly Meter Meter = new(TelemetryNames.AuditMeter);
    private static readonly Counter<long> Appended = Meter.CreateCounter<long>(
        "audit.events.appended", "{event}", "Audit events appended to the trail.");
    private static readonly Counter<long> Duplicates = Meter.CreateCounter<long>(
        "audit.events.duplicates", "{event}", "Redelivered audit events recognised by their id and kept once.");
    private static readonly Histogram<double> ConsumerLag = Meter.CreateHistogram<double>(
        "audit.consumer.lag", "ms", "From the event's RecordedAt to its append.");

    public async Task OnSubscribed(IStreamSubscriptionHandleFactory handleFactory) =>
        await handleFactory.Create<AuditEvent>().ResumeAsync(this);

    public async Task OnNextAsync(IList<SequentialItem<AuditEvent>> items)
    {
        if (items.Count == 0)
        {
            return;
        }

        // A throw here makes the stream redeliver the whole delivery; the event ids make that
        // harmless. Every event on this stream belongs to this clinic (the stream key).
        var events = items.Select(i => i.Item).ToList();
        var added = await store.AppendBatchAsync(events);
        var now = DateTimeOffset.UtcNow;
        foreach (var record in added)
        {
            ConsumerLag.Record((now - record.Event.RecordedAt).TotalMilliseconds);
        }

        Appended.Add(added.Count);
        if (added.Count < events.Count)
        {
            Duplicates.Add(events.Count - added.Count);
            LogDuplicates(logger, events.Count - added.Count);
        }
    }

    public Task OnCompletedAsync() => Task.CompletedTask;

    public Task OnErrorAsync(Exception ex) => Task.CompletedTask;

    public Task<IReadOnlyList<AuditRecord>> QueryAsync(AuditQuery query) =>
        store.QueryAsync(this.GetPrimaryKeyString(), query);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Count} audit events were delivered again; kept once")]
    private static partial void LogDuplicates(ILogger logger, int count);
}
