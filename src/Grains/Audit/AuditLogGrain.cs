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
    public async Task OnSubscribed(IStreamSubscriptionHandleFactory handleFactory) =>
        await handleFactory.Create<AuditEvent>().ResumeAsync(this);

    public async Task OnNextAsync(AuditEvent item, StreamSequenceToken? token = null)
    {
        // A throw here makes the stream redeliver; a duplicate is recognised by its event id.
        if (!await store.AppendAsync(item))
        {
            LogDuplicate(logger, item.EventId);
        }
    }

    public Task OnCompletedAsync() => Task.CompletedTask;

    public Task OnErrorAsync(Exception ex) => Task.CompletedTask;

    public Task<IReadOnlyList<AuditRecord>> QueryAsync(AuditQuery query) =>
        store.QueryAsync(this.GetPrimaryKeyString(), query);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Audit event {EventId} was delivered again; kept once")]
    private static partial void LogDuplicate(ILogger logger, Guid eventId);
}
