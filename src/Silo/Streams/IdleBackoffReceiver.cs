using Orleans.Streams;

namespace ClinicCluster.Silo.Streams;

/// <summary>
/// A queue receiver that polls an empty queue less and less often (decision 0019). The pulling
/// agent asks for messages at every tick of its timer (<see cref="AuditStreamOptions.PollInterval"/>);
/// while the queue answers nothing, this skips the query on a growing number of ticks (1, 2, 4, ...
/// up to <c>maxIntervalTicks</c>) and answers "empty" itself. The first poll that finds messages
/// brings it back to every tick, and the agent keeps reading while there is more. Confirmations
/// (<see cref="MessagesDeliveredAsync(IList{IBatchContainer}, CancellationToken)"/>) always pass through.
/// </summary>
public sealed class IdleBackoffReceiver : IQueueAdapterReceiver
{
    private static readonly IList<IBatchContainer> Nothing = Array.Empty<IBatchContainer>();

    private readonly IQueueAdapterReceiver _inner;
    private readonly int _maxIntervalTicks;

    /// <summary>Ticks between two queries: 1 while messages flow, doubling while the queue is empty.</summary>
    private int _intervalTicks = 1;
    private int _ticksSinceQuery;
    private bool _idle;

    public IdleBackoffReceiver(IQueueAdapterReceiver inner, int maxIntervalTicks)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxIntervalTicks, 1);
        _inner = inner;
        _maxIntervalTicks = maxIntervalTicks;
    }

    /// <summary>The current interval in agent ticks, for tests and diagnostics.</summary>
    public int IntervalTicks => _intervalTicks;

    public Task Initialize(TimeSpan timeout) => _inner.Initialize(timeout);

    public Task Initialize(TimeSpan timeout, CancellationToken cancellationToken) => _inner.Initialize(timeout, cancellationToken);

    public Task<IList<IBatchContainer>> GetQueueMessagesAsync(int maxCount) => GetQueueMessagesAsync(maxCount, CancellationToken.None);

    public async Task<IList<IBatchContainer>> GetQueueMessagesAsync(int maxCount, CancellationToken cancellationToken)
    {
        // The agent calls one receiver at a time (its queue's timer callbacks do not overlap), so
        // the counters need no lock.
        if (++_ticksSinceQuery < _intervalTicks)
        {
            return Nothing;
        }

        _ticksSinceQuery = 0;
        var messages = await _inner.GetQueueMessagesAsync(maxCount, cancellationToken);
        if (messages is { Count: > 0 })
        {
            (_intervalTicks, _idle) = (1, false);
            return messages;
        }

        // The first empty answer after messages keeps the next tick (the queue may just have
        // drained between two publishes); from the second on the interval doubles.
        _intervalTicks = _idle ? Math.Min(_intervalTicks * 2, _maxIntervalTicks) : 1;
        _idle = true;
        return Nothing;
    }

    public Task MessagesDeliveredAsync(IList<IBatchContainer> messages) => _inner.MessagesDeliveredAsync(messages, CancellationToken.None);

    public Task MessagesDeliveredAsync(IList<IBatchContainer> messages, CancellationToken cancellationToken) =>
        _inner.MessagesDeliveredAsync(messages, cancellationToken);

    public Task Shutdown(TimeSpan timeout) => _inner.Shutdown(timeout);

    public Task Shutdown(TimeSpan timeout, CancellationToken cancellationToken) => _inner.Shutdown(timeout, cancellationToken);
}
