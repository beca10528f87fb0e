using ClinicCluster.Clinics;
using ClinicCluster.Common;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ClinicCluster.Scheduling;

/// <summary>
/// The clinic's sweeper. A grain timer (Scheduling:SweepInterval) gives the resolution; one Orleans
/// reminder per clinic brings the sweeper back after a silo failure. Each sweep reads the booked
/// rows whose check-in has closed (end + the clinic policy's checkInGraceMinutes, decision 0025) or
/// that start within DueSoonBefore (a partial index), marks no-shows through the appointment grain
/// (its one conditional statement, which applies the same <see cref="VisitTimeRules"/>), records the
/// due-soon notice in the ledger so it is given once, and flags checked-in visits left open after
/// their clinic day ended.
/// </summary>
public sealed partial class AppointmentSweeperGrain(
    IAppointmentLedger ledger,
    IOptions<SchedulingOptions> options,
    TimeProvider clock,
    SchedulingMetrics metrics,
    ILogger<AppointmentSweeperGrain> logger) : Grain, IAppointmentSweeperGrain, IRemindable
{
    private const string ReminderName = "sweep";
    private const int BatchSize = 200;

    // Orleans' minimum reminder period; the reminder only revives the sweeper, the timer sweeps.
    private static readonly TimeSpan ReminderPeriod = TimeSpan.FromMinutes(1);

    // The unclosed visits already logged by this activation (a reactivation logs them once more).
    private readonly HashSet<string> _flagged = new(StringComparer.Ordinal);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (await this.GetReminder(ReminderName) is null)
        {
            await this.RegisterOrUpdateReminder(ReminderName, ReminderPeriod, ReminderPeriod);
        }

        var interval = options.Value.SweepInterval;
        this.RegisterGrainTimer(SweepOnTimerAsync, new GrainTimerCreationOptions(interval, interval) { KeepAlive = true });
        await base.OnActivateAsync(cancellationToken);
    }

    public Task WakeAsync() => Task.CompletedTask;

    public Task ReceiveReminder(string reminderName, TickStatus status) => Task.CompletedTask;

    public async Task<SweepResult> SweepAsync()
    {
        var clinicId = this.GetPrimaryKeyString();
        if (await GrainFactory.GetGrain<IClinicGrain>(clinicId).GetAsync() is not { Settings: { } settings })
        {
            return new SweepResult(0, 0);
        }

        // Read after the clinic answered: every rule below is judged at one instant.
        var now = clock.GetUtcNow();
        var rules = new VisitTimeRules(settings.Policy, settings.TimeZone);
        var endedBefore = now.AddMinutes(-settings.Policy.CheckInGraceMinutes);
        var due = await ledger.DueAsync(clinicId, endedBefore, now + options.Value.DueSoonBefore, BatchSize);
        int noShows = 0, notices = 0;
        foreach (var row in due)
        {
            if (rules.SweptNoShowAt(row.Start, row.End) <= now)
            {
                var marked = await GrainFactory.GetGrain<IAppointmentGrain>(ClinicScopedKey.Format(clinicId, row.AppointmentId))
                    .ChangeStatusAsync(AppointmentStatus.NoShow);
                if (marked.IsSuccess)
                {
                    noShows++;
                    LogMarkedNoShow(logger, row.AppointmentId, clinicId);
                }
            }
            else if (row.DueSoonNoticedAt is null && now < row.Start && await ledger.MarkDueSoonNoticedAsync(clinicId, row.AppointmentId, now))
            {
                // The notification service will subscribe to this; until then it is a log line
                // with ids and time only, never patient details.
                notices++;
                LogDueSoon(logger, row.AppointmentId, clinicId, row.ToAppointment().Start);
            }
        }

        var unclosed = await FlagUnclosedAsync(clinicId, rules, now);
        metrics.Swept("noshow", noShows);
        metrics.Swept("due-soon", notices);
        return new SweepResult(noShows, notices, unclosed);
    }

    /// <summary>
    /// Checked-in visits whose clinic day has ended without a completion or a cancellation: the
    /// operators' list is the warning logged once per visit and activation (ids and start only),
    /// the gauge the count per clinic. Nothing changes the visit: only a clinician knows whether it
    /// took place, so it stays checked-in until someone completes or cancels it.
    /// </summary>
    private async Task<int> FlagUnclosedAsync(string clinicId, VisitTimeRules rules, DateTimeOffset now)
    {
        var open = await ledger.CheckedInBeforeAsync(clinicId, rules.StartOfClinicDay(now), BatchSize);
        var ids = new HashSet<string>(open.Select(r => r.AppointmentId), StringComparer.Ordinal);
        _flagged.IntersectWith(ids);
        foreach (var row in open.Where(r => _flagged.Add(r.AppointmentId)))
        {
            LogUnclosed(logger, row.AppointmentId, clinicId, row.ToAppointment().Start);
        }

        metrics.Unclosed(clinicId, open.Count);
        return open.Count;
    }

    private async Task SweepOnTimerAsync(CancellationToken cancellationToken)
    {
        try
        {
            await SweepAsync();
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogSweepFailed(logger, exception, this.GetPrimaryKeyString());
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Appointment {AppointmentId} in clinic {ClinicId} was not checked in and is now a no-show")]
    private static partial void LogMarkedNoShow(ILogger logger, string appointmentId, string clinicId);

    [LoggerMessage(EventId = 4100, EventName = "AppointmentDueSoon", Level = LogLevel.Information, Message = "Appointment {AppointmentId} in clinic {ClinicId} is due at {Start}")]
    private static partial void LogDueSoon(ILogger logger, string appointmentId, string clinicId, DateTimeOffset start);

    [LoggerMessage(EventId = 4101, EventName = "CheckedInVisitNotClosed", Level = LogLevel.Warning,
        Message = "Appointment {AppointmentId} in clinic {ClinicId}, started {Start}, is still checked in after its clinic day ended; complete or cancel it")]
    private static partial void LogUnclosed(ILogger logger, string appointmentId, string clinicId, DateTimeOffset start);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sweeping clinic {ClinicId} failed; the next tick retries")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception, string clinicId);
}
