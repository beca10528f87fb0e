using Microsoft.Extensions.Logging;

namespace ClinicCluster.Scheduling;

/// <summary>
/// The calendar's publications to the clinic's replica of the calendars (decision 0059). Every call
/// that may change the busy set publishes before it returns, so a hold or booking acknowledged to a
/// client is out of the clinic-wide search already. The ledger, not the replica, decides bookings:
/// a publication that fails or takes longer than Scheduling:ReplicaPublishTimeout never fails the
/// call. The calendar then counts itself unpublished and publishes again on its next change or its
/// one-minute timer; meanwhile the replica, which saw the failure, asks this calendar directly.
/// </summary>
public sealed partial class ProviderScheduleGrain
{
    private List<BusyRange> _published = [];
    private bool _unpublished = true;
    private long _version;

    public Task<CalendarBusyTime> GetBusyTimeAsync() => Task.FromResult(BusyTimeNow());

    protected override Task OnBusyChangedAsync() => PublishAsync();

    /// <summary>Publishes the busy set unless the replica already has it; never throws.</summary>
    private async Task PublishAsync()
    {
        var busy = BusyTimeNow();
        if (!_unpublished && busy.Ranges.SequenceEqual(_published))
        {
            return;
        }

        var replica = GrainFactory.GetGrain<IClinicCalendarReplicaGrain>(ClinicId);
        try
        {
            var held = await replica.PublishAsync(busy).WaitAsync(Options.ReplicaPublishTimeout);
            if (held > _version)
            {
                // A version of another activation of this calendar (on a silo whose clock ran ahead)
                // is newer than ours: this activation is the calendar now, so it outbids it once.
                _version = held;
                busy = BusyTimeNow();
                await replica.PublishAsync(busy).WaitAsync(Options.ReplicaPublishTimeout);
            }

            (_published, _unpublished) = ([.. busy.Ranges], false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            _unpublished = true;
            LogPublicationFailed(Logger, exception);
        }
    }

    /// <summary>The busy set with a new version: one the replica will take over any it holds of this activation.</summary>
    private CalendarBusyTime BusyTimeNow()
    {
        // Wall time, not the scheduling clock: versions order publications of successive
        // activations (on any silo) in real time, and the scheduling clock may stand still in tests.
        _version = Math.Max(_version + 1, TimeProvider.System.GetUtcNow().UtcTicks);
        var now = Clock.GetUtcNow();
        return new CalendarBusyTime(OwnerId, _version, [.. BusyTime(now), .. _checkout.BusyTime(now)]);
    }

    /// <summary>Publishes again if the last publication failed (the hold-pruning timer calls it).</summary>
    private Task RepublishIfNeededAsync() => _unpublished ? PublishAsync() : Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "A provider calendar could not publish to its clinic's replica; it publishes again on its next change or within a minute")]
    private static partial void LogPublicationFailed(ILogger logger, Exception exception);
}
