using ClinicCluster.Common;
using Microsoft.Extensions.Logging;

namespace ClinicCluster.Scheduling;

/// <summary>
/// The waitlist's trigger (decision 0045): a committed cancellation, reschedule or no-show gave the
/// provider's calendar back the visit's old range, which the clinic's waitlist may offer. Called
/// after the calendars recorded the change, so the slot is free when the waitlist holds it. The
/// verb's outcome does not depend on it: a failure is logged, and the slot stays bookable. A failed
/// call (the waitlist's silo died mid-offer) is tried again on a grain timer every RecordRetryDelay
/// for a minute (decision 0052), long enough for the cluster to declare a killed silo dead: the
/// waitlist ignores a slot an open offer already covers, so a repeat of a call that did arrive
/// changes nothing.
/// </summary>
public sealed partial class AppointmentGrain
{
    private static readonly TimeSpan WaitlistRetryWindow = TimeSpan.FromMinutes(1);

    private IGrainTimer? _waitlistRetry;

    private async Task OfferFreedSlotAsync(SchedulingOperation operation, LedgerRow before)
    {
        if (operation is not (SchedulingOperation.Cancel or SchedulingOperation.Reschedule or SchedulingOperation.NoShow))
        {
            return;
        }

        var slot = new FreedSlot(before.ProviderId, before.AppointmentType, before.Start, before.End, _appointmentId);
        if (await TellWaitlistAsync(slot))
        {
            return;
        }

        var giveUpAt = clock.GetUtcNow() + WaitlistRetryWindow;
        _waitlistRetry?.Dispose();
        _waitlistRetry = this.RegisterGrainTimer(async _ =>
        {
            if (await TellWaitlistAsync(slot) || clock.GetUtcNow() >= giveUpAt)
            {
                _waitlistRetry?.Dispose();
                _waitlistRetry = null;
            }
        }, options.Value.RecordRetryDelay, options.Value.RecordRetryDelay);
    }

    /// <summary>
    /// A repeated cancel or no-show (a client's retry after its first answer was lost, perhaps
    /// with the silo that was telling the waitlist) tells the waitlist again: its slot is the row's
    /// range. A repeated reschedule cannot: its old range is gone from the row.
    /// </summary>
    private Task OfferFreedSlotAgainAsync(SchedulingOperation operation, LedgerRow current) =>
        (operation, current.Status) is (SchedulingOperation.Cancel, AppointmentStatus.Cancelled) or (SchedulingOperation.NoShow, AppointmentStatus.NoShow)
            ? OfferFreedSlotAsync(operation, current)
            : Task.CompletedTask;

    private async Task<bool> TellWaitlistAsync(FreedSlot slot)
    {
        try
        {
            await GrainFactory.GetGrain<IWaitlistGrain>(_clinicId).SlotFreedAsync(slot);
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogWaitlistFailed(logger, _clinicId, _appointmentId, e.GetType().Name);
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The waitlist could not be offered the slot appointment {AppointmentId} freed in clinic {ClinicId} ({ExceptionType})")]
    private static partial void LogWaitlistFailed(ILogger logger, string clinicId, string appointmentId, string exceptionType);
}
