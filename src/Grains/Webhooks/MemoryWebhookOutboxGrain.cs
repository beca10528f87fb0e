namespace ClinicCluster.Webhooks;

/// <summary>
/// One clinic's subscriptions and outbox in memory (the embedded default, which keeps nothing across
/// restarts). One call at a time, so the head-of-line question sees a consistent queue; a timer
/// keeps the activation (and the queue) alive while the silo runs, like the memory ledger.
/// </summary>
public sealed class MemoryWebhookOutboxGrain(TimeProvider clock) : Grain, IMemoryWebhookOutboxGrain
{
    private readonly Dictionary<string, WebhookSubscriptionRow> _subscriptions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<Row>> _outbox = new(StringComparer.Ordinal);
    private long _lastEventId;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        this.RegisterGrainTimer(() => Task.CompletedTask, new GrainTimerCreationOptions(TimeSpan.FromHours(1), TimeSpan.FromHours(1)) { KeepAlive = true });
        return base.OnActivateAsync(cancellationToken);
    }

    public Task<long?> EnqueueAsync(WebhookEvent webhookEvent)
    {
        var wanting = _subscriptions.Values.Where(s => s.EventTypes.Contains(webhookEvent.Type, StringComparer.Ordinal)).ToList();
        if (wanting.Count == 0)
        {
            return Task.FromResult<long?>(null);
        }

        var eventId = ++_lastEventId;
        var entry = new WebhookOutboxEntry(eventId, webhookEvent.Type, webhookEvent.SubjectId, webhookEvent.OccurredAt,
            webhookEvent.DataJson, Attempts: 0, CreatedAt: clock.GetUtcNow());
        foreach (var subscription in wanting)
        {
            _outbox[subscription.Id].Add(new Row(entry, entry.CreatedAt));
        }

        return Task.FromResult<long?>(eventId);
    }

    public Task<bool> AddSubscriptionAsync(WebhookSubscriptionRow row, int limit)
    {
        if (_subscriptions.Count >= limit || !_subscriptions.TryAdd(row.Id, row))
        {
            return Task.FromResult(false);
        }

        _outbox[row.Id] = [];
        return Task.FromResult(true);
    }

    public Task<IReadOnlyList<WebhookSubscriptionRow>> SubscriptionsAsync() =>
        Task.FromResult<IReadOnlyList<WebhookSubscriptionRow>>(_subscriptions.Values.OrderBy(s => s.CreatedAt).ToList());

    public Task<bool> DeleteSubscriptionAsync(string subscriptionId) =>
        Task.FromResult(_subscriptions.Remove(subscriptionId) & _outbox.Remove(subscriptionId));

    public Task<bool> SetSecretsAsync(string subscriptionId, IReadOnlyList<string> secrets, DateTimeOffset? previousUntil)
    {
        if (!_subscriptions.TryGetValue(subscriptionId, out var row))
        {
            return Task.FromResult(false);
        }

        _subscriptions[subscriptionId] = row with { Secrets = secrets, PreviousSecretUntil = previousUntil };
        return Task.FromResult(true);
    }

    public Task<IReadOnlyList<WebhookOutboxEntry>> DueAsync(string subscriptionId, DateTimeOffset now, int limit)
    {
        IReadOnlyList<WebhookOutboxEntry> due = Queue(subscriptionId)
            .Where(r => r.State == WebhookDeliveryState.Pending)
            .GroupBy(r => r.Entry.SubjectId, StringComparer.Ordinal)
            .Select(g => g.MinBy(r => r.Entry.EventId)!)
            .Where(r => r.NextAttemptAt <= now)
            .OrderBy(r => r.Entry.EventId)
            .Take(limit)
            .Select(r => r.Entry)
            .ToList();
        return Task.FromResult(due);
    }

    public Task SettleAsync(string subscriptionId, long eventId, WebhookSettlement settlement)
    {
        if (Queue(subscriptionId).FirstOrDefault(r => r.Entry.EventId == eventId) is { } row)
        {
            row.State = settlement.State;
            row.NextAttemptAt = settlement.NextAttemptAt ?? row.NextAttemptAt;
            row.Entry = settlement.State == WebhookDeliveryState.Pending ? row.Entry with { Attempts = row.Entry.Attempts + 1 } : row.Entry;
            row.FinishedAt = settlement.State == WebhookDeliveryState.Pending ? null : settlement.At;
        }

        return Task.CompletedTask;
    }

    public Task<int> ReplayAsync(string subscriptionId, DateTimeOffset now)
    {
        var dead = Queue(subscriptionId).Where(r => r.State == WebhookDeliveryState.Dead).ToList();
        foreach (var row in dead)
        {
            // A replayed event gets a fresh dead-letter clock, as in PostgreSQL.
            row.State = WebhookDeliveryState.Pending;
            row.NextAttemptAt = now;
            row.FinishedAt = null;
            row.Entry = row.Entry with { Attempts = 0, CreatedAt = now };
        }

        return Task.FromResult(dead.Count);
    }

    public Task<int> PurgeDeliveredAsync(string subscriptionId, DateTimeOffset before, int limit)
    {
        var queue = Queue(subscriptionId);
        var expired = queue.Where(r => r.State == WebhookDeliveryState.Delivered && r.FinishedAt < before)
            .OrderBy(r => r.FinishedAt).Take(limit).ToHashSet();
        queue.RemoveAll(expired.Contains);
        return Task.FromResult(expired.Count);
    }

    private List<Row> Queue(string subscriptionId) => _outbox.GetValueOrDefault(subscriptionId) ?? [];

    private sealed class Row(WebhookOutboxEntry entry, DateTimeOffset nextAttemptAt)
    {
        public WebhookOutboxEntry Entry { get; set; } = entry;

        public DateTimeOffset NextAttemptAt { get; set; } = nextAttemptAt;

        public WebhookDeliveryState State { get; set; } = WebhookDeliveryState.Pending;

        public DateTimeOffset? FinishedAt { get; set; }
    }
}
