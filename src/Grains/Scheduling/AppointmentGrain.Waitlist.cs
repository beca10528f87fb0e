using ClinicCluster.Common;
using Microsoft.Extensions.Logging;

namespace ClinicCluster.Scheduling;

/// <summary>
/// The waitlist's trigger (decision 0045): a committed cancellation, reschedule or no-show gave the
/// provider's calendar back the visit's old range, which the clinic's waitlist may offer. Called
/// after the calendars recorded the change, so the slot is free when the waitlist holds it. The
/// verb's outcome does not depend on it: a failure is logged, and the slot stays bookable.
/// </summary>
public sealed partial class AppointmentGrain
{
    private async Task OfferFreedSlotAsync(SchedulingOperation operation, LedgerRow before)
    {
        if (operation is not (SchedulingOperation.Cancel or SchedulingOperation.Reschedule or SchedulingOperation.NoShow))
        {
            return;
        }

        try
        {
            await GrainFactory.GetGrain<IWaitlistGrain>(_clinicId)
                .SlotFreedAsync(new FreedSlot(before.ProviderId, before.AppointmentType, before.Start, before.End, _appointmentId));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogWaitlistFailed(logger, _clinicId, _appointmentId, e.GetType().Name);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The waitlist could not be offered the slot appointment {AppointmentId} freed in clinic {ClinicId} ({ExceptionType})")]
    private static partial void LogWaitlistFailed(ILogger logger, string clinicId, string appointmentId, string exceptionType);
}
