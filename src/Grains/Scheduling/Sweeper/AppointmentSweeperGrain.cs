using ClinicCluster.Common;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ClinicCluster.Scheduling;

/// <summary>
/// The clinic's sweeper. A grain timer (Scheduling:SweepInterval) gives the resolution; one Orleans
/// reminder per clinic brings the sweeper back after a silo failure. Each sweep reads the booked
/// rows that are past end + NoShowAfter or within DueSoonBefore of their start (a partial index),
/// marks no-shows through the appointment grain (its one conditional statement) and records the
/// due-soon notice in the ledger so it is given once.
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
        var now = clock.GetUtcNow();
        var settings = options.Value;
        var due = await ledger.DueAsync(clinicId, now - settings.NoShowAfter, now + settings.DueSoonBefore, BatchSize);
        int noShows = 0, notices = 0;
        foreach (var row in due)
        {
            if (row.End + settings.NoShowAfter <= now)
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

        metrics.Swept("noshow", noShows);
        metrics.Swept("due-soon", notices);
        return new SweepResult(noShows, notices);
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sweeping clinic {ClinicId} failed; the next tick retries")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception, string clinicId);
}
