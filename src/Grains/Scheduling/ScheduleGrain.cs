using ClinicCluster.Common;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ClinicCluster.Scheduling;

/// <summary>
/// The calendar shared by providers and patients. Orleans runs one request at a time on a grain,
/// so the check for an overlap and the write of the new hold cannot interleave with another
/// booking of the same calendar: that is what makes double booking impossible.
/// </summary>
public abstract partial class ScheduleGrain(
    IPersistentState<ScheduleState> state,
    TimeProvider clock,
    IOptions<SchedulingOptions> options,
    IAppointmentLedger ledger,
    ILogger logger) : Grain, IScheduleGrain
{
    protected string ClinicId { get; private set; } = "";

    protected string OwnerId { get; private set; } = "";

    protected TimeProvider Clock => clock;

    protected SchedulingOptions Options => options.Value;

    protected IAppointmentLedger Ledger => ledger;

    protected IEnumerable<CalendarEntry> ActiveEntries => state.State.Entries.Where(e => e.IsActive);

    /// <summary>
    /// Active entries minus holds left unrecorded past the timeout: what to offer as busy. A stale
    /// hold is re-checked with its appointment when a booking actually lands on it.
    /// </summary>
    protected IEnumerable<CalendarEntry> BusyForOffers
    {
        get
        {
            var cutoff = clock.GetUtcNow() - options.Value.PendingHoldTimeout;
            return ActiveEntries.Where(e => e.Recorded || e.HeldAt >= cutoff);
        }
    }

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        (ClinicId, OwnerId) = ClinicScopedKey.Parse(this.GetPrimaryKeyString());
        return base.OnActivateAsync(cancellationToken);
    }

    public async Task<Result<SlotHold>> HoldAsync(SlotHold hold)
    {
        await ResolveStalePendingAsync(hold);

        var busy = ActiveEntries
            .Where(e => e.AppointmentId != hold.Appointment.Id)
            .Select(e => e.Blocked)
            .ToList();

        var refusal = await RefuseAsync(hold, busy);
        if (refusal is not null)
        {
            return refusal;
        }

        state.State.Entries.Add(new CalendarEntry(hold, Recorded: false, HeldAt: clock.GetUtcNow()));
        await state.WriteStateAsync();
        return hold;
    }

    public async Task ReleaseAsync(string appointmentId, DateTimeOffset start)
    {
        var removed = state.State.Entries.RemoveAll(e =>
            !e.Recorded && e.AppointmentId == appointmentId && e.Hold.Appointment.Start == start);
        if (removed > 0)
        {
            await state.WriteStateAsync();
        }
    }

    public async Task RecordAsync(SlotHold hold)
    {
        state.State.Entries.RemoveAll(e => e.AppointmentId == hold.Appointment.Id);

        // With a ledger the history lives in the database; the calendar keeps only what blocks time.
        var entry = new CalendarEntry(hold, Recorded: true, HeldAt: clock.GetUtcNow());
        if (entry.IsActive || !ledger.ServesQueries)
        {
            state.State.Entries.Add(entry);
        }

        await state.WriteStateAsync();
    }

    public Task<IReadOnlyList<AppointmentSummary>> ListAsync(DateTimeOffset from, DateTimeOffset to)
    {
        if (ledger.ServesQueries)
        {
            return ListFromLedgerAsync(from, to);
        }

        IReadOnlyList<AppointmentSummary> list = state.State.Entries
            .Where(e => e.Recorded && e.Hold.Appointment.Start >= from && e.Hold.Appointment.Start < to)
            .Select(e => e.Hold.Appointment)
            .OrderBy(a => a.Start)
            .ToList();
        return Task.FromResult(list);
    }

    /// <summary>The calendar's appointments starting in [from, to), from the ledger's indexes.</summary>
    protected abstract Task<IReadOnlyList<AppointmentSummary>> ListFromLedgerAsync(DateTimeOffset from, DateTimeOffset to);

    /// <summary>
    /// Why <paramref name="hold"/> cannot be taken, or null. <paramref name="busy"/> holds the
    /// blocked ranges of the calendar's other active appointments.
    /// </summary>
    protected abstract Task<Error?> RefuseAsync(SlotHold hold, IReadOnlyList<TimeRange> busy);

    /// <summary>
    /// A hold that stayed unrecorded past the timeout belongs to a booking that may have died after
    /// taking it. The appointment itself is the truth: keep the hold if the appointment was stored
    /// at that time, drop it otherwise. Only holds in the way of the new one are checked.
    /// </summary>
    private async Task ResolveStalePendingAsync(SlotHold incoming)
    {
        var cutoff = clock.GetUtcNow() - options.Value.PendingHoldTimeout;
        var range = new TimeRange(incoming.Appointment.Start, incoming.BlockedUntil);
        var stale = state.State.Entries
            .Where(e => !e.Recorded && e.HeldAt < cutoff && e.Blocked.Overlaps(range))
            .ToList();
        if (stale.Count == 0)
        {
            return;
        }

        foreach (var entry in stale)
        {
            var appointment = await GrainFactory
                .GetGrain<IAppointmentGrain>(ClinicScopedKey.Format(ClinicId, entry.AppointmentId))
                .GetAsync();
            state.State.Entries.Remove(entry);
            if (appointment is not null && appointment.Start == entry.Hold.Appointment.Start)
            {
                state.State.Entries.RemoveAll(e => e.AppointmentId == entry.AppointmentId);
                var current = entry.Hold.Appointment with { Status = appointment.Status };
                state.State.Entries.Add(entry with { Hold = entry.Hold with { Appointment = current }, Recorded = true });
            }
            else
            {
                LogStaleHoldReleased(logger, entry.AppointmentId);
            }
        }

        await state.WriteStateAsync();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Released a stale hold of appointment {AppointmentId} that was never stored")]
    private static partial void LogStaleHoldReleased(ILogger logger, string appointmentId);
}
