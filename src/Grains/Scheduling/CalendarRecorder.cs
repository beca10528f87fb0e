namespace ClinicCluster.Scheduling;

/// <summary>
/// Records what the ledger committed in both calendars, and when that fails, tries again every
/// <see cref="SchedulingOptions.RecordRetryDelay"/>, at most <see cref="SchedulingOptions.RecordRetries"/>
/// times, while the activation lives. Each retry is a grain timer tick, so a grain turn of its own:
/// it never interleaves with a command that holds or commits (a stale record sent in the middle of
/// a reschedule would drop the new range's pending hold). Not a Polly pipeline for that reason
/// (decision 0018). When the retries run out, each calendar resolves the appointment against the
/// ledger itself (pending-hold timeout, reconciliation).
/// </summary>
internal sealed class CalendarRecorder(IGrainBase grain, SchedulingOptions options, Func<LedgerRow?> latest, Func<CalendarPair> retryCalendars)
{
    private IGrainTimer? _retry;
    private int _attempts;

    /// <summary>Records <paramref name="committed"/> through <paramref name="calendars"/>; never throws (the commit stands).</summary>
    public async Task RecordAsync(CalendarPair calendars, LedgerRow committed)
    {
        if (await calendars.RecordAsync(committed) || _retry is not null || options.RecordRetries == 0)
        {
            return;
        }

        _attempts = 0;
        _retry = grain.RegisterGrainTimer(RetryAsync, options.RecordRetryDelay, options.RecordRetryDelay);
    }

    // Records the newest committed row, not the one that failed: a later command may have moved on.
    private async Task RetryAsync(CancellationToken cancellationToken)
    {
        if (latest() is not { } row || await retryCalendars().RecordAsync(row) || ++_attempts >= options.RecordRetries)
        {
            _retry?.Dispose();
            _retry = null;
        }
    }
}
