namespace ClinicCluster.Webhooks;

/// <summary>
/// Delivers one subscription's outbox (key: "{clinicId}/{subscriptionId}"). One activation per
/// subscription, placed by Orleans anywhere in the cluster, so subscribers spread over the silos.
/// </summary>
public interface IWebhookDispatcherGrain : IGrainWithStringKey
{
    /// <summary>Activates the dispatcher (and its reminder) without waiting for a delivery.</summary>
    [OneWay]
    Task WakeAsync();
}
