namespace ClinicCluster.Webhooks;

/// <summary>
/// The embedded mode's webhook tables for one clinic (key: the clinic id), the same operations as
/// <see cref="IWebhookStore"/>. <see cref="EnqueueAsync"/> is the hook for writers: the memory
/// ledger calls it before it commits a row, so the change and its event are kept or lost together.
/// </summary>
public interface IMemoryWebhookOutboxGrain : IGrainWithStringKey
{
    /// <summary>Queues the event for every live subscription that wants its type; returns its id (null: nobody wants it).</summary>
    Task<long?> EnqueueAsync(WebhookEvent webhookEvent);

    Task<bool> AddSubscriptionAsync(WebhookSubscriptionRow row, int limit);

    [ReadOnly]
    Task<IReadOnlyList<WebhookSubscriptionRow>> SubscriptionsAsync();

    Task<bool> DeleteSubscriptionAsync(string subscriptionId);

    Task<bool> SetSecretsAsync(string subscriptionId, IReadOnlyList<string> secrets, DateTimeOffset? previousUntil);

    [ReadOnly]
    Task<IReadOnlyList<WebhookOutboxEntry>> DueAsync(string subscriptionId, DateTimeOffset now, int limit);

    Task SettleAsync(string subscriptionId, long eventId, WebhookSettlement settlement);

    Task<int> ReplayAsync(string subscriptionId, DateTimeOffset now);

    /// <summary>Forgets up to <paramref name="limit"/> delivered entries finished before <paramref name="before"/>, oldest first.</summary>
    Task<int> PurgeDeliveredAsync(string subscriptionId, DateTimeOffset before, int limit);
}

/// <summary>What happened to one attempt: delivered, failed (try again at <paramref name="NextAttemptAt"/>) or dead.</summary>
[GenerateSerializer, Immutable, Alias("cc.WebhookSettlement")]
public sealed record WebhookSettlement(
    [property: Id(0)] WebhookDeliveryState State,
    [property: Id(1)] DateTimeOffset At,
    [property: Id(2)] DateTimeOffset? NextAttemptAt = null,
    [property: Id(3)] string? Error = null);

/// <summary>An outbox row's state, as the PostgreSQL column names it.</summary>
public enum WebhookDeliveryState
{
    Pending,
    Delivered,
    Dead,
}
