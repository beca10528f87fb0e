using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Orleans.Streams;
using Orleans.Streams.Core;

namespace ClinicCluster.Audit;

/// <summary>
/// A clinic's audit log. Implicitly subscribed to the clinic's audit stream, so every event
/// published for the clinic reaches it without any registration; one activation per clinic keeps
/// the clinic's hash chain in order. It also answers the auditors' queries.
/// </summary>
[ImplicitStreamSubscription(AuditStreams.Namespace)]
public sealed partial class AuditLogGrain(IAuditStore store, ILogger<AuditLogGrain> logger)
    : Grain, IAuditTrailGrain, IStreamSubscriptionObserver, IAsyncObserver<AuditEvent>
{
    // Meter "ClinicCluster.Audit", shared with the API and the silo's dead-letter gauge. No tags:
    // clinic, patient and event ids must not reach metrics.
    private static readonly Meter Meter = new("ClinicCluster.Audit");
    private static readonly Counter<long> Appended = Meter.CreateCounter<long>(
        "audit.events.appended", "{event}", "Audit events appended to the trail.");
    private static readonly Counter<long> Duplicates = Meter.CreateCounter<long>(
        "audit.events.duplicates", "{event}", "Redelivered audit events recognised by their id and kept once.");
    private static readonly Histogram<double> ConsumerLag = Meter.CreateHistogram<double>(
        "audit.consumer.lag", "ms", "From the event's RecordedAt to its append.");

    public async Task OnSubscribed(IStreamSubscriptionHandleFactory handleFactory) =>
        await handleFactory.Create<AuditEvent>().ResumeAsync(this);

    public async Task OnNextAsync(AuditEvent item, StreamSequenceToken? token = null)
    {
        // A throw here makes the stream redeliver; a duplicate is recognised by its event id.
        if (!await store.AppendAsync(item))
        {
            Duplicates.Add(1);
            LogDuplicate(logger, item.EventId);
            return;
        }

        Appended.Add(1);
        ConsumerLag.Record((DateTimeOffset.UtcNow - item.RecordedAt).TotalMilliseconds);
    }

    public Task OnCompletedAsync() => Task.CompletedTask;

    public Task OnErrorAsync(Exception ex) => Task.CompletedTask;

    public Task<IReadOnlyList<AuditRecord>> QueryAsync(AuditQuery query) =>
        store.QueryAsync(this.GetPrimaryKeyString(), query);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Audit event {EventId} was delivered again; kept once")]
    private static partial void LogDuplicate(ILogger logger, Guid eventId);
}
