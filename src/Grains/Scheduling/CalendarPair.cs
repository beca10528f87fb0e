using ClinicCluster.Clinics;
using ClinicCluster.Common;
using Microsoft.Extensions.Logging;

namespace ClinicCluster.Scheduling;

/// <summary>
/// The provider's and the patient's calendars of one appointment, called in parallel (holds in
/// the order of <see cref="PairedHolds"/>). Holds are fast in-memory refusals before the ledger
/// commit; records tell both calendars what committed.
/// Neither is the truth: a lost hold or record is resolved against the ledger by the calendar.
/// </summary>
internal sealed partial class CalendarPair(IGrainFactory grains, ISchedulingFaults faults, SchedulingOperation operation, ILogger logger)
{
    /// <summary>
    /// Holds <paramref name="row"/>'s range in both calendars (in the order of <see cref="PairedHolds"/>);
    /// a refusal or failure releases both, and a failure reaches the caller unchanged even when
    /// that release fails. A booking passes the clinic's <paramref name="context"/> it has read,
    /// which the provider's calendar then uses, and the checkout hold it converts
    /// (<paramref name="holdId"/>), which only that calendar keeps.
    /// </summary>
    public Task<Error?> HoldAsync(LedgerRow row, SchedulingContext? context = null, string? holdId = null)
    {
        var held = row.ProviderHold() with { CheckoutHoldId = holdId };
        return PairedHolds.TakeAsync(
            () => HoldAsync(context is null ? Provider(row).HoldAsync(held) : Provider(row).HoldAsync(held, context), FaultStep.HoldProvider, row.AppointmentId),
            () => HoldAsync(Patient(row).HoldAsync(row.PatientHold()), FaultStep.HoldPatient, row.AppointmentId),
            step => Compensation.OrUndoAsync(step, () => ReleaseAsync(row), e => LogReleaseFailed(row, e)),
            () => TryReleaseAsync(row));
    }

    /// <summary>Drops the pending holds of <paramref name="row"/> (a compensation: it may throw).</summary>
    public async Task ReleaseAsync(LedgerRow row)
    {
        await faults.AtAsync(operation, FaultStep.Release, row.AppointmentId);
        await Task.WhenAll(
            Provider(row).ReleaseAsync(row.AppointmentId, row.Start),
            Patient(row).ReleaseAsync(row.AppointmentId, row.Start));
    }

    /// <summary>Drops the pending holds of <paramref name="row"/>; a failure is logged and leaves them to the timeout.</summary>
    public Task<bool> TryReleaseAsync(LedgerRow row) => Compensation.TryAsync(() => ReleaseAsync(row), e => LogReleaseFailed(row, e));

    /// <summary>The release failure as ids and the exception's type: its message may quote PHI.</summary>
    public void LogReleaseFailed(LedgerRow row, Exception exception) =>
        LogReleaseFailed(logger, exception.GetType().Name, row.ClinicId, row.AppointmentId);

    /// <summary>
    /// Tells both calendars what the ledger committed. A failure is logged, not thrown: the commit
    /// stands, and the calendars converge through the pending-hold timeout and reconciliation.
    /// </summary>
    public async Task<bool> RecordAsync(LedgerRow committed)
    {
        try
        {
            await Task.WhenAll(
                RecordAsync(Provider(committed), committed.ProviderHold(), FaultStep.RecordProvider, committed.AppointmentId),
                RecordAsync(Patient(committed), committed.PatientHold(), FaultStep.RecordPatient, committed.AppointmentId));
            return true;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogRecordFailed(logger, exception.GetType().Name, committed.ClinicId, committed.AppointmentId);
            return false;
        }
    }

    private async Task<Result<SlotHold>> HoldAsync(Task<Result<SlotHold>> holding, FaultStep step, string appointmentId)
    {
        var held = await holding;
        await faults.AtAsync(operation, step, appointmentId);
        return held;
    }

    private async Task RecordAsync(IScheduleGrain calendar, SlotHold hold, FaultStep step, string appointmentId)
    {
        await faults.AtAsync(operation, step, appointmentId);
        await calendar.RecordAsync(hold);
    }

    private IProviderScheduleGrain Provider(LedgerRow row) =>
        grains.GetGrain<IProviderScheduleGrain>(ClinicScopedKey.Format(row.ClinicId, row.ProviderId));

    private IPatientScheduleGrain Patient(LedgerRow row) =>
        grains.GetGrain<IPatientScheduleGrain>(ClinicScopedKey.Format(row.ClinicId, row.PatientId));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not release the holds of appointment {AppointmentId} of clinic {ClinicId} ({ExceptionType}); they expire after the pending-hold timeout")]
    private static partial void LogReleaseFailed(ILogger logger, string exceptionType, string clinicId, string appointmentId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not record appointment {AppointmentId} of clinic {ClinicId} in its calendars ({ExceptionType}); they will resolve it against the ledger")]
    private static partial void LogRecordFailed(ILogger logger, string exceptionType, string clinicId, string appointmentId);
}
