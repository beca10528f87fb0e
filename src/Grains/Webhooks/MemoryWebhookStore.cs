namespace ClinicCluster.Webhooks;

/// <summary>The embedded default's <see cref="IWebhookStore"/>: each clinic's tables live in its <see cref="IMemoryWebhookOutboxGrain"/>.</summary>
public sealed class MemoryWebhookStore(IGrainFactory grains) : IWebhookStore
{
    public Task<bool> AddSubscriptionAsync(WebhookSubscriptionRow row, int limit) => Clinic(row.ClinicId).AddSubscriptionAsync(row, limit);

    public Task<IReadOnlyList<WebhookSubscriptionRow>> SubscriptionsAsync(string clinicId) => Clinic(clinicId).SubscriptionsAsync();

    public async Task<WebhookSubscriptionRow?> SubscriptionAsync(string clinicId, string subscriptionId) =>
        (await Clinic(clinicId).SubscriptionsAsync()).FirstOrDefault(s => s.Id == subscriptionId);

    public Task<bool> DeleteSubscriptionAsync(string clinicId, string subscriptionId) => Clinic(clinicId).DeleteSubscriptionAsync(subscriptionId);

    public Task<bool> SetSecretsAsync(string clinicId, string subscriptionId, IReadOnlyList<string> secrets, DateTimeOffset? previousUntil) =>
        Clinic(clinicId).SetSecretsAsync(subscriptionId, secrets, previousUntil);

    public Task<IReadOnlyList<WebhookOutboxEntry>> DueAsync(string clinicId, string subscriptionId, DateTimeOffset now, int limit) =>
        Clinic(clinicId).DueAsync(subscriptionId, now, limit);

    public Task MarkDeliveredAsync(string clinicId, string subscriptionId, long eventId, DateTimeOffset at) =>
        Clinic(clinicId).SettleAsync(subscriptionId, eventId, new WebhookSettlement(WebhookDeliveryState.Delivered, at));

    public Task MarkFailedAsync(string clinicId, string subscriptionId, long eventId, DateTimeOffset nextAttemptAt, string error) =>
        Clinic(clinicId).SettleAsync(subscriptionId, eventId, new WebhookSettlement(WebhookDeliveryState.Pending, nextAttemptAt, nextAttemptAt, error));

    public Task MarkDeadAsync(string clinicId, string subscriptionId, long eventId, DateTimeOffset at, string error) =>
        Clinic(clinicId).SettleAsync(subscriptionId, eventId, new WebhookSettlement(WebhookDeliveryState.Dead, at, Error: error));

    public Task<int> PurgeDeliveredAsync(string clinicId, string subscriptionId, DateTimeOffset before, int limit) =>
        Clinic(clinicId).PurgeDeliveredAsync(subscriptionId, before, limit);

    public Task<int> ReplayAsync(string clinicId, string subscriptionId, DateTimeOffset now) => Clinic(clinicId).ReplayAsync(subscriptionId, now);

    private IMemoryWebhookOutboxGrain Clinic(string clinicId) => grains.GetGrain<IMemoryWebhookOutboxGrain>(clinicId);
}
