using System.Globalization;
using System.Text;
using ClinicCluster.Clinics;
using ClinicCluster.Common;
using ClinicCluster.Patients;
using ClinicCluster.Scheduling;

namespace ClinicCluster.FaultInjection;

/// <summary>How a faulted case is brought back: the client retries, or nobody does and the views reconcile.</summary>
public enum Recovery
{
    Retry,
    Reconcile,
}

/// <summary>One row of the fault table.</summary>
public sealed record FaultCase(SchedulingOperation Operation, FaultStep Step, FaultKind Kind, Recovery Recovery)
{
    public override string ToString() => $"{Operation}/{Step}/{Kind}/{Recovery}";
}

/// <summary>What happened in one case.</summary>
public sealed record FaultOutcome(FaultCase Case, string FirstAttempt, string Recovered, int Findings, string? Disagreement);

/// <summary>
/// Every write step of every verb, failed once (throw or timeout), then recovered by a retry or by
/// reconciliation alone. After each case the appointment, both calendars and the ledger must agree,
/// and the slot must be exactly as taken as the ledger says (a competing booking proves it).
/// Runs the same in both storage modes; the caller supplies the cluster, the ledger and the clock.
/// </summary>
public sealed class FaultMatrix(IGrainFactory grains, IAppointmentLedger ledger, ArmedFaults faults, TimeProvider clock, Func<Task> passPendingHoldTimeout)
{
    private const string Checkup = "checkup";
    private static readonly BookingPolicy Policy = new(MinimumNoticeMinutes: 0, MaximumHorizonDays: 90, CancellationCutoffMinutes: 0, SlotIntervalMinutes: 15);

    // The write steps in order; the release is a compensation, faulted by its own tests.
    private static readonly FaultStep[] HoldSteps =
        [FaultStep.HoldProvider, FaultStep.HoldPatient, FaultStep.LedgerWrite, FaultStep.LedgerCommitted, FaultStep.RecordProvider, FaultStep.RecordPatient];
    private static readonly FaultStep[] StatusSteps = [FaultStep.LedgerWrite, FaultStep.LedgerCommitted, FaultStep.RecordProvider, FaultStep.RecordPatient];

    public static IEnumerable<FaultCase> Cases() =>
        from operation in Enum.GetValues<SchedulingOperation>()
        from step in operation is SchedulingOperation.Book or SchedulingOperation.Reschedule ? HoldSteps : StatusSteps
        from kind in Enum.GetValues<FaultKind>()
        from recovery in Enum.GetValues<Recovery>()
        select new FaultCase(operation, step, kind, recovery);

    public async Task<IReadOnlyList<FaultOutcome>> RunAsync()
    {
        var clinicId = "fault-" + Guid.NewGuid().ToString("N")[..10];
        Assert.True((await grains.GetGrain<IClinicGrain>(clinicId).CreateAsync(new ClinicSettings("Fault clinic", "UTC",
            [new AppointmentType(Checkup, 30, 10)], Policy))).IsSuccess);
        var outcomes = new List<FaultOutcome>();
        foreach (var @case in Cases())
        {
            outcomes.Add(await RunAsync(clinicId, @case));
        }

        return outcomes;
    }

    /// <summary>The table printed to the test output: step x operation x outcome.</summary>
    public static string Table(IReadOnlyList<FaultOutcome> outcomes)
    {
        var table = new StringBuilder();
        table.AppendLine(CultureInfo.InvariantCulture, $"{"operation",-11} {"step",-16} {"fault",-8} {"recovery",-10} {"first attempt",-14} {"recovered by",-22} {"findings",8}  agree");
        foreach (var o in outcomes)
        {
            table.AppendLine(CultureInfo.InvariantCulture,
                $"{o.Case.Operation,-11} {o.Case.Step,-16} {o.Case.Kind,-8} {o.Case.Recovery,-10} {o.FirstAttempt,-14} {o.Recovered,-22} {o.Findings,8}  {(o.Disagreement is null ? "yes" : "NO: " + o.Disagreement)}");
        }

        table.AppendLine(CultureInfo.InvariantCulture,
            $"{outcomes.Count} cases, {outcomes.Count(o => o.FirstAttempt == "failed")} failed first attempts, {outcomes.Count(o => o.Disagreement is not null)} disagreements");
        return table.ToString();
    }

    private async Task<FaultOutcome> RunAsync(string clinicId, FaultCase @case)
    {
        var providerId = Identifiers.New("prv");
        Assert.True((await grains.GetGrain<IClinicGrain>(clinicId).AddProviderAsync(providerId, new ProviderProfile("Dr. Fault", "General",
            Enum.GetValues<DayOfWeek>().Select(d => new WorkingHours(d, new TimeOnly(0, 0), new TimeOnly(23, 45))).ToList(), []))).IsSuccess);
        var patientId = await AddPatientAsync(clinicId);
        var rivalId = await AddPatientAsync(clinicId);
        var day = clock.GetUtcNow().UtcDateTime.Date.AddDays(3);
        var first = new DateTimeOffset(day.AddHours(10), TimeSpan.Zero);
        var moved = first.AddHours(4);
        var appointmentId = Identifiers.New("apt");
        var fingerprint = "fp-" + appointmentId;
        var appointment = grains.GetGrain<IAppointmentGrain>(ClinicScopedKey.Format(clinicId, appointmentId));

        // The appointment the faulted verb acts on (the booking itself for Book).
        switch (@case.Operation)
        {
            case SchedulingOperation.NoShow:
                await SeedPastAsync(clinicId, appointmentId, patientId, providerId);
                break;
            case not SchedulingOperation.Book:
                Success(await appointment.BookAsync(new BookAppointment(patientId, providerId, Checkup, first), fingerprint));
                if (@case.Operation == SchedulingOperation.Complete)
                {
                    Success(await appointment.ChangeStatusAsync(AppointmentStatus.CheckedIn));
                }

                break;
        }

        Task<Result<Appointment>> Act() => @case.Operation switch
        {
            SchedulingOperation.Book => appointment.BookAsync(new BookAppointment(patientId, providerId, Checkup, first), fingerprint),
            SchedulingOperation.Reschedule => appointment.RescheduleAsync(moved),
            SchedulingOperation.Cancel => appointment.CancelAsync("fault test"),
            SchedulingOperation.CheckIn => appointment.ChangeStatusAsync(AppointmentStatus.CheckedIn),
            SchedulingOperation.Complete => appointment.ChangeStatusAsync(AppointmentStatus.Fulfilled),
            _ => appointment.ChangeStatusAsync(AppointmentStatus.NoShow),
        };

        faults.Arm(@case.Operation, @case.Step, @case.Kind, appointmentId);
        string firstAttempt;
        try
        {
            var result = await Act();
            firstAttempt = result.IsSuccess ? "succeeded" : "refused " + result.Error!.Code;
        }
        catch (Exception exception) when (exception is InvalidOperationException or TimeoutException)
        {
            firstAttempt = "failed";
        }
        finally
        {
            faults.Disarm();
        }

        string recovered;
        var findings = 0;
        if (@case.Recovery == Recovery.Retry)
        {
            var retry = await Act();
            Assert.True(retry.IsSuccess, $"{@case}: the retry answered {retry.Error}");
            recovered = "retry";
        }
        else
        {
            recovered = "-";
        }

        // Agreement now, or after the pending-hold timeout and one reconciliation of every view.
        var disagreement = await DisagreementAsync(clinicId, appointmentId, providerId, patientId);
        if (disagreement is not null || @case.Recovery == Recovery.Reconcile)
        {
            await passPendingHoldTimeout();
            findings = (await grains.GetGrain<IClinicReconcilerGrain>(clinicId).ReconcileAsync())
                .Count(f => f.AppointmentId == appointmentId);
            recovered = disagreement is null ? recovered : recovered == "retry" ? "retry + reconciliation" : "reconciliation";
            disagreement = await DisagreementAsync(clinicId, appointmentId, providerId, patientId);
        }

        disagreement ??= await SlotDisagreementAsync(clinicId, appointmentId, providerId, rivalId, first, moved);
        return new FaultOutcome(@case, firstAttempt, recovered, findings, disagreement);
    }

    /// <summary>Null when the appointment, both calendars and the ledger show the same thing.</summary>
    private async Task<string?> DisagreementAsync(string clinicId, string appointmentId, string providerId, string patientId)
    {
        var row = await ledger.GetAsync(clinicId, appointmentId);
        var shown = await grains.GetGrain<IAppointmentGrain>(ClinicScopedKey.Format(clinicId, appointmentId)).GetAsync();
        if (row is null)
        {
            return shown is null ? await CalendarDisagreementAsync(null) : "the appointment shows a booking the ledger does not have";
        }

        if (shown != row.ToAppointment())
        {
            return $"the appointment shows {shown?.Status} at {shown?.Start:u}, the ledger {row.Status} at {row.Start:u}";
        }

        return await CalendarDisagreementAsync(row);

        async Task<string?> CalendarDisagreementAsync(LedgerRow? truth)
        {
            var provider = (await grains.GetGrain<IProviderScheduleGrain>(ClinicScopedKey.Format(clinicId, providerId)).GetBlocksAsync())
                .Where(b => b.AppointmentId == appointmentId).ToList();
            var patient = (await grains.GetGrain<IPatientScheduleGrain>(ClinicScopedKey.Format(clinicId, patientId)).GetBlocksAsync())
                .Where(b => b.AppointmentId == appointmentId).ToList();
            if (truth is not { IsActive: true })
            {
                return provider.Count + patient.Count == 0 ? null : "a calendar blocks an appointment the ledger has as inactive";
            }

            bool Shows(List<CalendarBlock> blocks, DateTimeOffset until) =>
                blocks is [{ Recorded: true } block] && block.Start == truth.Start && block.BlockedUntil == until
                && block.Status == truth.Status && block.Version == truth.Version;
            return !Shows(provider, truth.BlockedUntil) ? $"the provider calendar shows {Describe(provider)}"
                : !Shows(patient, truth.End) ? $"the patient calendar shows {Describe(patient)}"
                : null;
        }
    }

    /// <summary>A rival booking of each range proves the slot is neither double-booked nor lost.</summary>
    private async Task<string?> SlotDisagreementAsync(string clinicId, string appointmentId, string providerId, string rivalId,
        DateTimeOffset first, DateTimeOffset moved)
    {
        var row = await ledger.GetAsync(clinicId, appointmentId);
        foreach (var start in new[] { first, moved })
        {
            var taken = row is { IsActive: true } && row.Start == start;
            var rival = await grains.GetGrain<IAppointmentGrain>(ClinicScopedKey.Format(clinicId, Identifiers.New("apt")))
                .BookAsync(new BookAppointment(rivalId, providerId, Checkup, start), null);
            if (rival.IsSuccess == taken)
            {
                return taken ? $"a rival booked the taken slot {start:u}" : $"the free slot {start:u} was refused: {rival.Error?.Code}";
            }

            if (rival.IsSuccess)
            {
                Assert.True((await grains.GetGrain<IAppointmentGrain>(ClinicScopedKey.Format(clinicId, rival.Value!.Id)).CancelAsync(null)).IsSuccess);
            }
        }

        return null;
    }

    private async Task SeedPastAsync(string clinicId, string appointmentId, string patientId, string providerId)
    {
        // A visit that started two hours ago cannot be booked through the policy: write its row directly.
        var now = clock.GetUtcNow();
        var start = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero).AddHours(now.Hour).AddHours(-2);
        var row = new LedgerRow(clinicId, appointmentId, patientId, providerId, Checkup, start, start.AddMinutes(30), 10,
            AppointmentStatus.Booked, "UTC", null, null, null, now, now, start, start.AddMinutes(30), 1);
        Assert.Equal(LedgerWriteOutcome.Written, (await ledger.InsertAsync(row)).Outcome);
    }

    private async Task<string> AddPatientAsync(string clinicId)
    {
        var id = Identifiers.New("pat");
        Assert.True((await grains.GetGrain<IPatientGrain>(ClinicScopedKey.Format(clinicId, id)).CreateAsync(
            new PatientDemographics("MRN-" + Guid.NewGuid().ToString("N")[..10], "Fault", "Case", new DateOnly(1980, 1, 1), AdministrativeSex.Unknown))).IsSuccess);
        return id;
    }

    private static void Success(Result<Appointment> result) => Assert.True(result.IsSuccess, result.Error?.ToString());

    private static string Describe(List<CalendarBlock> blocks) =>
        blocks.Count == 0 ? "nothing" : string.Join(", ", blocks.Select(b => $"{(b.Recorded ? "recorded" : "pending")} {b.Status} {b.Start:u} v{b.Version}"));
}
