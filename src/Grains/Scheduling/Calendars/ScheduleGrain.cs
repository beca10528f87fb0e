using ClinicCluster.Common;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ClinicCluster.Scheduling;

/// <summary>
/// The calendar shared by providers and patients: an in-memory cache of the owner's active ledger
/// rows, rebuilt on activation (one indexed query), plus holds of bookings in flight. It keeps no
/// state of its own: the ledger is the truth (decision 0006). Orleans runs one request at a time on
/// a grain, so the overlap check and the new hold cannot interleave with another booking of the
/// same calendar; the ledger's own overlap check stands behind it.
/// </summary>
public abstract partial class ScheduleGrain(
    CalendarOwner owner,
    TimeProvider clock,
    IOptions<SchedulingOptions> options,
    IAppointmentLedger ledger,
    SchedulingMetrics metrics,
    ILogger logger) : Grain, IScheduleGrain
{
    private readonly CalendarBook _book = new();

    protected string ClinicId { get; private set; } = "";

    protected string OwnerId { get; private set; } = "";

    protected TimeProvider Clock => clock;

    protected SchedulingOptions Options => options.Value;

    protected IAppointmentLedger Ledger => ledger;

    protected ILogger Logger => logger;

    /// <summary>Blocked ranges to offer as busy: recorded entries and holds younger than the timeout.</summary>
    protected List<TimeRange> BusyForOffers => _book.BusyForOffers(PendingCutoff);

    private DateTimeOffset PendingCutoff => clock.GetUtcNow() - options.Value.PendingHoldTimeout;

    private string View => $"{(owner == CalendarOwner.Provider ? "provider" : "patient")}-calendar/{OwnerId}";

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        (ClinicId, OwnerId) = ClinicScopedKey.Parse(this.GetPrimaryKeyString());
        _book.Load(await LoadFromLedgerAsync(), clock.GetUtcNow());
        var interval = options.Value.ReconcileInterval;
        this.RegisterGrainTimer(ReconcileOnTimerAsync, interval, interval);
        await base.OnActivateAsync(cancellationToken);
    }

    public Task<Result<SlotHold>> HoldAsync(SlotHold hold) => HoldAsync(hold, RefuseAsync);

    /// <summary>
    /// Takes <paramref name="hold"/> unless <paramref name="refuse"/> answers why not; either way the
    /// busy set may have changed (stale holds resolved), which is passed on before the call returns.
    /// </summary>
    protected async Task<Result<SlotHold>> HoldAsync(SlotHold hold, Func<SlotHold, Func<TimeRange, IReadOnlyList<TimeRange>>, Task<Error?>> refuse)
    {
        var result = await TakeHoldAsync(hold, refuse);
        await OnBusyChangedAsync();
        return result;
    }

    private async Task<Result<SlotHold>> TakeHoldAsync(SlotHold hold, Func<SlotHold, Func<TimeRange, IReadOnlyList<TimeRange>>, Task<Error?>> refuse)
    {
        await ResolveStalePendingAsync(hold);
        var sawRecorded = false;
        List<TimeRange> BusyIn(TimeRange window)
        {
            var entries = _book.ActiveExcept(hold.Appointment.Id, window);
            sawRecorded |= entries.Exists(e => e.Recorded);
            return entries.ConvertAll(e => e.Blocked);
        }

        if (await refuse(hold, BusyIn) is { } refusal)
        {
            // Busy only because of other bookings' pending holds: they may be gone in a moment.
            var busy = refusal == LedgerWrite.ProviderBusy || refusal == LedgerWrite.PatientBusy;
            return busy && !sawRecorded ? PendingHoldRefusal.Mark(refusal) : refusal;
        }

        _book.Hold(hold, clock.GetUtcNow());
        return hold;
    }

    public Task ReleaseAsync(string appointmentId, DateTimeOffset start)
    {
        _book.Release(appointmentId, start);
        return OnBusyChangedAsync();
    }

    public Task RecordAsync(SlotHold hold)
    {
        _book.Record(hold, clock.GetUtcNow());
        OnRecorded(hold);
        return OnBusyChangedAsync();
    }

    public Task<IReadOnlyList<AppointmentSummary>> ListAsync(DateTimeOffset from, DateTimeOffset to) => owner == CalendarOwner.Provider
        ? ledger.ListByProviderAsync(ClinicId, OwnerId, from, to)
        : ledger.ListByPatientAsync(ClinicId, OwnerId, from, to);

    public async Task<Result<AppointmentListPage>> ListPageAsync(AppointmentListQuery query)
    {
        var calendar = $"{View}@{ClinicId}";
        var page = AppointmentListRules.ToLedgerPage(query, calendar);
        return page.Error is { } error
            ? error
            : AppointmentListRules.ToPage(await ledger.ListPageAsync(ClinicId, owner, OwnerId, page.Value!), query, calendar);
    }

    public Task<IReadOnlyList<CalendarBlock>> GetBlocksAsync()
    {
        IReadOnlyList<CalendarBlock> blocks = _book.Entries
            .Select(e => new CalendarBlock(e.AppointmentId, e.Hold.Appointment.Start, e.Hold.BlockedUntil, e.Hold.Appointment.Status, e.Recorded, e.Hold.Version))
            .OrderBy(b => b.Start)
            .ToList();
        return Task.FromResult(blocks);
    }

    public async Task<IReadOnlyList<ReconcileFinding>> ReconcileAsync()
    {
        var findings = _book.Reconcile(await LoadFromLedgerAsync(), PendingCutoff, View, clock.GetUtcNow());
        metrics.Reconciled(owner == CalendarOwner.Provider ? "provider-calendar" : "patient-calendar", findings);
        foreach (var finding in findings)
        {
            LogFinding(logger, finding.Kind, View, finding.AppointmentId);
        }

        await OnBusyChangedAsync();
        return findings;
    }

    /// <summary>Blocked ranges of active entries overlapping <paramref name="window"/>, pending holds included.</summary>
    protected List<TimeRange> BusyIn(TimeRange window) => _book.BusyExcept("", window);

    /// <summary>True when the calendar shows <paramref name="appointmentId"/> as committed.</summary>
    protected bool HasRecorded(string appointmentId) => _book.Entries.Any(e => e.Recorded && e.AppointmentId == appointmentId);

    /// <summary>
    /// The busy time to offer, as the clinic's replica keeps it (decision 0059): recorded entries, and
    /// holds of bookings in flight until they stop counting.
    /// </summary>
    protected IEnumerable<BusyRange> BusyTime(DateTimeOffset now) => _book.BusyTime(now, options.Value.PendingHoldTimeout);

    /// <summary>
    /// Called before a call that may have changed the busy set returns (hold, release, record,
    /// reconcile); awaited, so that what the caller was told is already passed on.
    /// </summary>
    protected virtual Task OnBusyChangedAsync() => Task.CompletedTask;

    /// <summary>Called after <paramref name="hold"/>'s appointment was recorded.</summary>
    protected virtual void OnRecorded(SlotHold hold)
    {
    }

    /// <summary>
    /// Why <paramref name="hold"/> cannot be taken, or null. <paramref name="busyIn"/> answers the
    /// blocked ranges of the calendar's other active appointments that overlap a window.
    /// </summary>
    protected abstract Task<Error?> RefuseAsync(SlotHold hold, Func<TimeRange, IReadOnlyList<TimeRange>> busyIn);

    private async Task ReconcileOnTimerAsync(CancellationToken cancellationToken)
    {
        try
        {
            await ReconcileAsync();
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // The next tick tries again; the calendar keeps refusing from what it has.
            LogReconcileFailed(logger, exception, View);
        }
    }

    private async Task<IReadOnlyList<SlotHold>> LoadFromLedgerAsync()
    {
        var rows = await ledger.ActiveAsync(ClinicId, owner, OwnerId);
        return rows.Select(r => owner == CalendarOwner.Provider ? r.ProviderHold() : r.PatientHold()).ToList();
    }

    /// <summary>
    /// A hold that stayed pending past the timeout belongs to a booking that may have died after
    /// taking it, or whose record was lost. The ledger answers: a committed active row is
    /// recorded as the ledger has it, anything else is dropped. Only holds in the way are checked.
    /// </summary>
    private async Task ResolveStalePendingAsync(SlotHold incoming)
    {
        foreach (var entry in _book.StalePending(PendingCutoff, new TimeRange(incoming.Appointment.Start, incoming.BlockedUntil)))
        {
            var row = await ledger.GetAsync(ClinicId, entry.AppointmentId);
            _book.Release(entry.AppointmentId, entry.Hold.Appointment.Start);
            if (row is not null)
            {
                _book.Record(owner == CalendarOwner.Provider ? row.ProviderHold() : row.PatientHold(), clock.GetUtcNow());
            }
            else
            {
                LogStaleHoldReleased(logger, entry.AppointmentId);
            }
        }
    }
}
