using System.Globalization;
using System.Text;
using ClinicCluster.Clinics;
using ClinicCluster.Common;
using ClinicCluster.Patients;
using ClinicCluster.Scheduling;

namespace ClinicCluster.Testing.Faults;

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

/// <summary>The ids and ranges of one case: the appointment is moved from <see cref="First"/> to <see cref="Moved"/>.</summary>
public sealed record FaultScene(string ClinicId, string AppointmentId, string ProviderId, string PatientId, string RivalId,
    DateTimeOffset First, DateTimeOffset Moved)
{
    public string Fingerprint => "fp-" + AppointmentId;
}

/// <summary>After a case: whether reconciliation was needed, its findings for the appointment, and what still disagrees.</summary>
public sealed record Convergence(bool Reconciled, int Findings, string? Disagreement);

/// <summary>
/// Every write step of every verb, failed once (throw or timeout), then recovered by a retry or by
/// reconciliation alone. After each case the appointment, both calendars and the ledger must agree,
/// and the slot must be exactly as taken as the ledger says (a competing booking proves it).
/// Runs the same in both storage modes; the caller supplies the cluster, the ledger and the clock.
/// </summary>
public sealed class FaultMatrix(IGrainFactory grains, IAppointmentLedger ledger, ArmedFaults faults, TimeProvider clock, Func<Task> passPendingHoldTimeout)
{
    private const string Checkup = "checkup";
    // Check-in stays open 12 hours after the end: the status verbs act on visits seeded in the past.
    private static readonly BookingPolicy Policy = new(MinimumNoticeMinutes: 0, MaximumHorizonDays: 90, CancellationCutoffMinutes: 0, SlotIntervalMinutes: 15,
        CheckInGraceMinutes: 720);

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
        var clinicId = await CreateClinicAsync();
        var outcomes = new List<FaultOutcome>();
        foreach (var @case in Cases())
        {
            outcomes.Add(await RunAsync(clinicId, @case));
        }

        return outcomes;
    }

    /// <summary>A clinic for the cases: one appointment type, a policy that admits any time.</summary>
    public async Task<string> CreateClinicAsync()
    {
        var clinicId = "fault-" + Guid.NewGuid().ToString("N")[..10];
        Assert.True((await grains.GetGrain<IClinicGrain>(clinicId).CreateAsync(new ClinicSettings("Fault clinic", "UTC",
            [new AppointmentType(Checkup, 30, 10)], Policy))).IsSuccess);
        return clinicId;
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
        var scene = await PrepareAsync(clinicId, @case.Operation);
        faults.Arm(@case.Operation, @case.Step, @case.Kind, scene.AppointmentId);
        string firstAttempt;
        try
        {
            var result = await ActAsync(scene, @case.Operation);
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

        var recovered = "-";
        if (@case.Recovery == Recovery.Retry)
        {
            var retry = await ActAsync(scene, @case.Operation);
            Assert.True(retry.IsSuccess, $"{@case}: the retry answered {retry.Error}");
            recovered = "retry";
        }

        var converged = await ConvergeAsync(scene, reconcile: @case.Recovery == Recovery.Reconcile);
        recovered = !converged.Reconciled ? recovered : recovered == "retry" ? "retry + reconciliation" : "reconciliation";
        return new FaultOutcome(@case, firstAttempt, recovered, converged.Findings, converged.Disagreement);
    }

    /// <summary>
    /// A provider, a patient, a rival patient and the appointment <paramref name="operation"/> acts
    /// on, in the state it acts on (nothing yet for a booking).
    /// </summary>
    public async Task<FaultScene> PrepareAsync(string clinicId, SchedulingOperation operation)
    {
        var providerId = Identifiers.New("prv");
        Assert.True((await grains.GetGrain<IClinicGrain>(clinicId).AddProviderAsync(providerId, new ProviderProfile("Dr. Fault", "General",
            Enum.GetValues<DayOfWeek>().Select(d => new WorkingHours(d, new TimeOnly(0, 0), new TimeOnly(23, 45))).ToList(), []))).IsSuccess);
        var day = clock.GetUtcNow().UtcDateTime.Date.AddDays(3);
        var first = new DateTimeOffset(day.AddHours(10), TimeSpan.Zero);
        var scene = new FaultScene(clinicId, Identifiers.New("apt"), providerId, await AddPatientAsync(clinicId), await AddPatientAsync(clinicId),
            first, first.AddHours(4));
        var appointment = Appointment(scene);
        switch (operation)
        {
            // Check-in, completion and no-show act on a visit that has started (the visit-time rules).
            case SchedulingOperation.NoShow or SchedulingOperation.CheckIn:
                await SeedPastAsync(scene);
                break;
            case SchedulingOperation.Complete:
                await SeedPastAsync(scene);
                Success(await appointment.ChangeStatusAsync(AppointmentStatus.CheckedIn));
                break;
            case not SchedulingOperation.Book:
                Success(await ActAsync(scene, SchedulingOperation.Book));
                break;
        }

        return scene;
    }

    /// <summary>The verb's request; the same call is the client's retry (a booking keeps its id and fingerprint).</summary>
    public Task<Result<Appointment>> ActAsync(FaultScene scene, SchedulingOperation operation)
    {
        var appointment = Appointment(scene);
        return operation switch
        {
            SchedulingOperation.Book => appointment.BookAsync(new BookAppointment(scene.PatientId, scene.ProviderId, Checkup, scene.First), scene.Fingerprint),
            SchedulingOperation.Reschedule => appointment.RescheduleAsync(scene.Moved),
            SchedulingOperation.Cancel => appointment.CancelAsync("fault test", null),
            SchedulingOperation.CheckIn => appointment.ChangeStatusAsync(AppointmentStatus.CheckedIn),
            SchedulingOperation.Complete => appointment.ChangeStatusAsync(AppointmentStatus.Fulfilled),
            _ => appointment.ChangeStatusAsync(AppointmentStatus.NoShow),
        };
    }

    /// <summary>
    /// Agreement now or, if not (or if <paramref name="reconcile"/>), after the pending-hold timeout
    /// and one reconciliation of every view; then the rival booking of both ranges.
    /// </summary>
    public async Task<Convergence> ConvergeAsync(FaultScene scene, bool reconcile)
    {
        var disagreement = await DisagreementAsync(scene.ClinicId, scene.AppointmentId, scene.ProviderId, scene.PatientId);
        var reconciled = false;
        var findings = 0;
        if (disagreement is not null || reconcile)
        {
            await passPendingHoldTimeout();
            findings = (await grains.GetGrain<IClinicReconcilerGrain>(scene.ClinicId).ReconcileAsync())
                .Count(f => f.AppointmentId == scene.AppointmentId);
            reconciled = disagreement is not null;
            disagreement = await DisagreementAsync(scene.ClinicId, scene.AppointmentId, scene.ProviderId, scene.PatientId);
        }

        disagreement ??= await SlotDisagreementAsync(scene.ClinicId, scene.AppointmentId, scene.ProviderId, scene.RivalId, scene.First, scene.Moved);
        return new Convergence(reconciled, findings, disagreement);
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
                Assert.True((await grains.GetGrain<IAppointmentGrain>(ClinicScopedKey.Format(clinicId, rival.Value!.Id)).CancelAsync(null, null)).IsSuccess);
            }
        }

        return null;
    }

    private async Task SeedPastAsync(FaultScene scene)
    {
        // A visit that started two hours ago cannot be booked through the policy: write its row directly.
        // The calendars learn it from the verb's record (or from reconciliation).
        var now = clock.GetUtcNow();
        var start = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero).AddHours(now.Hour).AddHours(-2);
        var row = new LedgerRow(scene.ClinicId, scene.AppointmentId, scene.PatientId, scene.ProviderId, Checkup, start, start.AddMinutes(30), 10,
            AppointmentStatus.Booked, "UTC", null, null, null, now, now, start, start.AddMinutes(30), 1);
        Assert.Equal(LedgerWriteOutcome.Written, (await ledger.InsertAsync(row)).Outcome);
    }

    private IAppointmentGrain Appointment(FaultScene scene) =>
        grains.GetGrain<IAppointmentGrain>(ClinicScopedKey.Format(scene.ClinicId, scene.AppointmentId));

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
