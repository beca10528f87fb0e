using Microsoft.Extensions.Options;

namespace ClinicCluster.Webhooks;

/// <summary>
/// Keeps a subscription's outbox bounded (decision 0053): deletes its delivered rows finished more
/// than Webhooks:DeliveredRetention ago, Webhooks:RetentionBatchSize rows per statement (each its own
/// short transaction, so the sweep never holds locks the dispatcher or a booking waits on), and at
/// most <see cref="MaxBatchesPerSweep"/> statements per sweep: a backlog is worked off over several
/// sweeps instead of in one long one. Pending rows are never touched; dead rows stay until an admin
/// replays them or deletes the subscription.
/// </summary>
public sealed class WebhookRetention(IWebhookStore store, IOptions<WebhookOptions> options)
{
    public const int MaxBatchesPerSweep = 50;

    /// <summary>Deletes what has expired at <paramref name="now"/>, within the bounds; returns how many rows.</summary>
    public async Task<int> SweepAsync(string clinicId, string subscriptionId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var before = now - settings.DeliveredRetention;
        var deleted = 0;
        for (var batch = 0; batch < MaxBatchesPerSweep && !cancellationToken.IsCancellationRequested; batch++)
        {
            var rows = await store.PurgeDeliveredAsync(clinicId, subscriptionId, before, settings.RetentionBatchSize);
            deleted += rows;
            if (rows < settings.RetentionBatchSize)
            {
                break;
            }
        }

        return deleted;
    }
}
