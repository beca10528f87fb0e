using ClinicCluster.Common;

namespace ClinicCluster.Webhooks;

/// <summary>
/// A clinic's webhook subscriptions (key: the clinic id). Registration checks the URL against the
/// SSRF guard in the silo, where delivery runs and checks it again.
/// </summary>
public interface IWebhookSubscriptionsGrain : IGrainWithStringKey
{
    /// <summary>Registers a receiver; the result carries its first secret.</summary>
    Task<Result<WebhookSecretIssued>> CreateAsync(CreateWebhookSubscription request);

    Task<IReadOnlyList<WebhookSubscription>> ListAsync();

    /// <summary>Removes a receiver and its queued events.</summary>
    Task<Result<bool>> DeleteAsync(string subscriptionId);

    /// <summary>Issues a new secret; the previous one keeps signing (a second signature) for the overlap.</summary>
    Task<Result<WebhookSecretIssued>> RotateSecretAsync(string subscriptionId);

    /// <summary>Puts the subscription's dead-lettered events back in the queue.</summary>
    Task<Result<WebhookReplay>> ReplayAsync(string subscriptionId);
}
