namespace ClinicCluster.Webhooks;

/// <summary>
/// Subscriptions and the outbox (PostgreSQL: the webhooks schema, migration 0500; embedded: one
/// <see cref="IMemoryWebhookOutboxGrain"/> per clinic). Events are written by the changes that cause
/// them, never here; the dispatcher only reads and settles them.
/// </summary>
public interface IWebhookStore
{
    /// <summary>Adds a subscription unless the clinic already has <paramref name="limit"/> live ones; false then.</summary>
    Task<bool> AddSubscriptionAsync(WebhookSubscriptionRow row, int limit);

    /// <summary>The clinic's live subscriptions, oldest first.</summary>
    Task<IReadOnlyList<WebhookSubscriptionRow>> SubscriptionsAsync(string clinicId);

    Task<WebhookSubscriptionRow?> SubscriptionAsync(string clinicId, string subscriptionId);

    /// <summary>Removes a subscription and its queue; false if it was not there.</summary>
    Task<bool> DeleteSubscriptionAsync(string clinicId, string subscriptionId);

    /// <summary>Replaces the secrets (newest first) and the previous one's end; false if the subscription is gone.</summary>
    Task<bool> SetSecretsAsync(string clinicId, string subscriptionId, IReadOnlyList<string> secrets, DateTimeOffset? previousUntil);

    /// <summary>
    /// Pending entries due at <paramref name="now"/> that are the oldest pending entry of their
    /// subject (so a subject's later event waits for its earlier one), in event order.
    /// </summary>
    Task<IReadOnlyList<WebhookOutboxEntry>> DueAsync(string clinicId, string subscriptionId, DateTimeOffset now, int limit);

    Task MarkDeliveredAsync(string clinicId, string subscriptionId, long eventId, DateTimeOffset at);

    /// <summary>Counts a failed attempt; the entry is tried again at <paramref name="nextAttemptAt"/>.</summary>
    Task MarkFailedAsync(string clinicId, string subscriptionId, long eventId, DateTimeOffset nextAttemptAt, string error);

    /// <summary>Moves the entry to the dead letters (no more attempts until a replay).</summary>
    Task MarkDeadAsync(string clinicId, string subscriptionId, long eventId, DateTimeOffset at, string error);

    /// <summary>
    /// Deletes up to <paramref name="limit"/> delivered entries of the subscription finished before
    /// <paramref name="before"/>, oldest first; returns how many (the retention sweep, decision 0053).
    /// </summary>
    Task<int> PurgeDeliveredAsync(string clinicId, string subscriptionId, DateTimeOffset before, int limit);

    /// <summary>Puts every dead entry of the subscription back in the queue, due now; returns how many.</summary>
    Task<int> ReplayAsync(string clinicId, string subscriptionId, DateTimeOffset now);
}
