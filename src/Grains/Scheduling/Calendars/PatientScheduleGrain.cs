using ClinicCluster.Common;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ClinicCluster.Scheduling;

/// <summary>A patient's calendar: a patient cannot attend two visits at once, whoever the providers are.</summary>
public sealed class PatientScheduleGrain(
    TimeProvider clock,
    IOptions<SchedulingOptions> options,
    IAppointmentLedger ledger,
    SchedulingMetrics metrics,
    ILogger<PatientScheduleGrain> logger) : ScheduleGrain(CalendarOwner.Patient, clock, options, ledger, metrics, logger), IPatientScheduleGrain
{
    protected override Task<Error?> RefuseAsync(SlotHold hold, Func<TimeRange, IReadOnlyList<TimeRange>> busyIn)
    {
        var visit = new TimeRange(hold.Appointment.Start, hold.BlockedUntil);
        return Task.FromResult(busyIn(visit).Count > 0 ? LedgerWrite.PatientBusy : null);
    }
}
