using Orleans.Runtime;
using Orleans.Streams;

namespace ClinicCluster.Silo.Streams;

/// <summary>
/// Wraps a queue adapter factory so that every receiver it creates backs off while its queue is
/// empty (<see cref="IdleBackoffReceiver"/>). Everything else (publishing, the cache, the queue
/// mapper, the dead-letter handler) is the wrapped provider's, unchanged.
/// </summary>
public sealed class IdleBackoffQueueAdapterFactory(IQueueAdapterFactory inner, int maxIntervalTicks) : IQueueAdapterFactory
{
    public Task<IQueueAdapter> CreateAdapter() => CreateAdapter(CancellationToken.None);

    public async Task<IQueueAdapter> CreateAdapter(CancellationToken cancellationToken) =>
        new Adapter(await inner.CreateAdapter(cancellationToken), maxIntervalTicks);

    public IQueueAdapterCache GetQueueAdapterCache() => inner.GetQueueAdapterCache();

    public IStreamQueueMapper GetStreamQueueMapper() => inner.GetStreamQueueMapper();

    public Task<IStreamFailureHandler> GetDeliveryFailureHandler(QueueId queueId) => inner.GetDeliveryFailureHandler(queueId);

    private sealed class Adapter(IQueueAdapter inner, int maxIntervalTicks) : IQueueAdapter
    {
        public string Name => inner.Name;

        public bool IsRewindable => inner.IsRewindable;

        public StreamProviderDirection Direction => inner.Direction;

        public Task QueueMessageBatchAsync<T>(StreamId streamId, IEnumerable<T> events, StreamSequenceToken? token, Dictionary<string, object>? requestContext) =>
            inner.QueueMessageBatchAsync(streamId, events, token, requestContext);

        public IQueueAdapterReceiver CreateReceiver(QueueId queueId) => new IdleBackoffReceiver(inner.CreateReceiver(queueId), maxIntervalTicks);
    }
}
