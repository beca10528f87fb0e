using ClinicCluster.Common;
using Microsoft.Extensions.Options;

namespace ClinicCluster.Webhooks;

/// <summary>
/// A clinic's subscriptions (decision 0046): checks a new receiver with <see cref="WebhookUrlGuard"/>
/// and <see cref="WebhookSubscriptionRules"/>, stores it, and wakes its dispatcher. Secrets are
/// returned once, at creation and rotation.
/// </summary>
public sealed class WebhookSubscriptionsGrain(
    IWebhookStore store,
    WebhookUrlGuard guard,
    IOptions<WebhookOptions> options,
    TimeProvider clock) : Grain, IWebhookSubscriptionsGrain
{
    private string ClinicId => this.GetPrimaryKeyString();

    public async Task<Result<WebhookSecretIssued>> CreateAsync(CreateWebhookSubscription request)
    {
        if (WebhookSubscriptionRules.EventTypes(request.EventTypes) is not { } types)
        {
            return Error.Validation("eventTypes", WebhookSubscriptionRules.EventTypesRule);
        }

        if (await guard.RefusalAsync(request.Url) is { } refusal)
        {
            return Error.Validation("url", refusal);
        }

        var now = clock.GetUtcNow();
        var row = new WebhookSubscriptionRow(ClinicId, Identifiers.New("whk"), request.Url!, types,
            [WebhookSignature.NewSecret()], PreviousSecretUntil: null, CreatedAt: now);
        if (!await store.AddSubscriptionAsync(row, options.Value.MaxSubscriptionsPerClinic))
        {
            return Error.Conflict("too-many-subscriptions",
                $"A clinic may have at most {options.Value.MaxSubscriptionsPerClinic} webhook subscriptions.");
        }

        await Dispatcher(row.Id).WakeAsync();
        return new WebhookSecretIssued(row.ToSubscription(now), row.Secrets[0]);
    }

    public async Task<IReadOnlyList<WebhookSubscription>> ListAsync()
    {
        var now = clock.GetUtcNow();
        return (await store.SubscriptionsAsync(ClinicId)).Select(s => s.ToSubscription(now)).ToList();
    }

    public async Task<Result<bool>> DeleteAsync(string subscriptionId) =>
        await store.DeleteSubscriptionAsync(ClinicId, subscriptionId) ? true : Error.NotFound("Webhook subscription");

    public async Task<Result<WebhookSecretIssued>> RotateSecretAsync(string subscriptionId)
    {
        if (await store.SubscriptionAsync(ClinicId, subscriptionId) is not { } row)
        {
            return Error.NotFound("Webhook subscription");
        }

        // The newest secret first; the one it replaces signs too until the overlap ends.
        var now = clock.GetUtcNow();
        var secret = WebhookSignature.NewSecret();
        var until = now + options.Value.SecretOverlap;
        if (!await store.SetSecretsAsync(ClinicId, subscriptionId, [secret, row.Secrets[0]], until))
        {
            return Error.NotFound("Webhook subscription");
        }

        var rotated = row with { Secrets = [secret, row.Secrets[0]], PreviousSecretUntil = until };
        return new WebhookSecretIssued(rotated.ToSubscription(now), secret);
    }

    public async Task<Result<WebhookReplay>> ReplayAsync(string subscriptionId)
    {
        if (await store.SubscriptionAsync(ClinicId, subscriptionId) is null)
        {
            return Error.NotFound("Webhook subscription");
        }

        var replayed = await store.ReplayAsync(ClinicId, subscriptionId, clock.GetUtcNow());
        await Dispatcher(subscriptionId).WakeAsync();
        return new WebhookReplay(replayed);
    }

    private IWebhookDispatcherGrain Dispatcher(string subscriptionId) =>
        GrainFactory.GetGrain<IWebhookDispatcherGrain>(ClinicScopedKey.Format(ClinicId, subscriptionId));
}
