using ClinicCluster.Common;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ClinicCluster.Scheduling;

/// <summary>A patient's calendar: a patient cannot attend two visits at once, whoever the providers are.</summary>
public sealed class PatientScheduleGrain(
    [PersistentState("patient-schedule", StorageNames.Scheduling)] IPersistentState<ScheduleState> state,
    TimeProvider clock,
    IOptions<SchedulingOptions> options,
    IAppointmentLedger ledger,
    ILogger<PatientScheduleGrain> logger) : ScheduleGrain(state, clock, options, ledger, logger), IPatientScheduleGrain
{
    protected override async Task<IReadOnlyList<AppointmentSummary>> ListFromLedgerAsync(DateTimeOffset from, DateTimeOffset to) =>
        (await Ledger.ListByPatientAsync(ClinicId, OwnerId)).Where(a => a.Start >= from && a.Start < to).ToList();

    protected override Task<Error?> RefuseAsync(SlotHold hold, IReadOnlyList<TimeRange> busy)
    {
        var visit = new TimeRange(hold.Appointment.Start, hold.BlockedUntil);
        Error? refusal = busy.Any(visit.Overlaps)
            ? Error.Conflict("patient-busy", "The patient already has an appointment that overlaps this time.")
            : null;
        return Task.FromResult(refusal);
    }
}
