using ClinicCluster.Common;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ClinicCluster.Webhooks;

/// <summary>
/// Drains one subscription's outbox (decision 0046). A grain timer (Webhooks:PollInterval) gives the
/// pace; an Orleans reminder brings the dispatcher back after its silo fails. Each round reads the
/// due head-of-line entry of each subject (<see cref="IWebhookStore.DueAsync"/>), sends up to
/// Webhooks:MaxConcurrencyPerSubscriber at once (different subjects, so order per subject holds),
/// and settles each: delivered, retried later (<see cref="WebhookBackoff"/>) or dead after
/// Webhooks:DeadAfter. Booking never waits for any of this: the outbox row was its only cost.
/// Every Webhooks:RetentionSweepInterval the same timer deletes expired delivered rows
/// (<see cref="WebhookRetention"/>), so the outbox stays bounded and the sweep is spread like the delivery.
/// </summary>
public sealed partial class WebhookDispatcherGrain(
    IWebhookStore store,
    WebhookSender sender,
    WebhookRetention retention,
    IOptions<WebhookOptions> options,
    TimeProvider clock,
    ILogger<WebhookDispatcherGrain> logger) : Grain, IWebhookDispatcherGrain, IRemindable
{
    private const string ReminderName = "deliver";
    private static readonly TimeSpan ReminderPeriod = TimeSpan.FromMinutes(1);

    private string _clinicId = "";
    private string _subscriptionId = "";
    private DateTimeOffset _nextSweepAt = DateTimeOffset.MinValue;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        (_clinicId, _subscriptionId) = ClinicScopedKey.Parse(this.GetPrimaryKeyString());
        if (await this.GetReminder(ReminderName) is null)
        {
            await this.RegisterOrUpdateReminder(ReminderName, ReminderPeriod, ReminderPeriod);
        }

        var interval = options.Value.PollInterval;
        this.RegisterGrainTimer(DrainAsync, new GrainTimerCreationOptions(interval, interval) { KeepAlive = true });
        await base.OnActivateAsync(cancellationToken);
    }

    public Task WakeAsync() => Task.CompletedTask;

    public Task ReceiveReminder(string reminderName, TickStatus status) => Task.CompletedTask;

    private async Task DrainAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (await store.SubscriptionAsync(_clinicId, _subscriptionId) is not { } subscription)
            {
                // Deleted: nothing left to deliver, so stop coming back.
                if (await this.GetReminder(ReminderName) is { } reminder)
                {
                    await this.UnregisterReminder(reminder);
                }

                DeactivateOnIdle();
                return;
            }

            // Keep going while whole batches come back, within one poll interval's worth of rounds.
            for (var round = 0; round < 50 && !cancellationToken.IsCancellationRequested; round++)
            {
                var due = await store.DueAsync(_clinicId, _subscriptionId, clock.GetUtcNow(), options.Value.BatchSize);
                if (due.Count == 0)
                {
                    break;
                }

                using var slots = new SemaphoreSlim(options.Value.MaxConcurrencyPerSubscriber);
                await Task.WhenAll(due.Select(entry => DeliverAsync(subscription, entry, slots)));
            }

            if (clock.GetUtcNow() >= _nextSweepAt)
            {
                await retention.SweepAsync(_clinicId, _subscriptionId, clock.GetUtcNow(), cancellationToken);
                _nextSweepAt = clock.GetUtcNow() + options.Value.RetentionSweepInterval;
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // The store is unreachable (PostgreSQL restarting): the rows wait, the next tick tries again.
            LogRoundFailed(logger, exception.GetType().Name, _clinicId, _subscriptionId);
        }
    }

    private async Task DeliverAsync(WebhookSubscriptionRow subscription, WebhookOutboxEntry entry, SemaphoreSlim slots)
    {
        await slots.WaitAsync();
        try
        {
            var failure = await sender.SendAsync(subscription, entry);
            var now = clock.GetUtcNow();
            if (failure is null)
            {
                await store.MarkDeliveredAsync(_clinicId, _subscriptionId, entry.EventId, now);
            }
            else if (now - entry.CreatedAt >= options.Value.DeadAfter)
            {
                LogDeadLettered(logger, WebhookPayload.EventId(entry.EventId), _clinicId, _subscriptionId, failure);
                await store.MarkDeadAsync(_clinicId, _subscriptionId, entry.EventId, now, failure);
            }
            else
            {
                var delay = WebhookBackoff.Delay(entry.Attempts + 1, options.Value.FirstRetryDelay, options.Value.MaxRetryDelay, Random.Shared.NextDouble());
                await store.MarkFailedAsync(_clinicId, _subscriptionId, entry.EventId, now + delay, failure);
            }
        }
        finally
        {
            slots.Release();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook round failed ({ErrorType}) for clinic {ClinicId} subscription {SubscriptionId}; retrying next tick")]
    private static partial void LogRoundFailed(ILogger logger, string errorType, string clinicId, string subscriptionId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook event {EventId} of clinic {ClinicId} moved to the dead letters of subscription {SubscriptionId} ({Failure})")]
    private static partial void LogDeadLettered(ILogger logger, string eventId, string clinicId, string subscriptionId, string failure);
}
