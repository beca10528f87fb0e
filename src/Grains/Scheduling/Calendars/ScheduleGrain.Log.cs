using Microsoft.Extensions.Logging;

namespace ClinicCluster.Scheduling;

/// <summary>The calendar's log messages: ids of appointments and views only, never patient details.</summary>
public abstract partial class ScheduleGrain
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Released a stale hold of appointment {AppointmentId} that was never committed")]
    private static partial void LogStaleHoldReleased(ILogger logger, string appointmentId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reconciliation: {Kind} in {View} for appointment {AppointmentId}, repaired from the ledger")]
    private static partial void LogFinding(ILogger logger, FindingKind kind, string view, string appointmentId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reconciliation of {View} with the ledger failed; the next run retries")]
    private static partial void LogReconcileFailed(ILogger logger, Exception exception, string view);
}
