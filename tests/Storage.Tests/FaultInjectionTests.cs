using ClinicCluster.Common;
using ClinicCluster.Scheduling;
using ClinicCluster.Silo.Commands;
using ClinicCluster.Testing.Faults;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace ClinicCluster.Storage.Tests;

/// <summary>
/// The fault matrix on PostgreSQL: a silo of its own (own database, so no other silo serves its
/// grains) with the fault seam armed per case and a half-second pending-hold timeout, plus a real
/// database fault: a NUL character, which PostgreSQL text refuses, in a cancellation reason.
/// </summary>
public sealed class FaultInjectionTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan PendingHoldTimeout = TimeSpan.FromMilliseconds(500);

    private readonly TestDatabase _database = new();
    private readonly ArmedFaults _faults = new();
    private SiloHost? _silo;

    private SiloHost Silo => _silo ?? throw new InvalidOperationException("The silo is not started.");

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        await _database.MigrateAsync();
        _silo = await SiloHost.StartAsync(_database.App,
            new Dictionary<string, string?> { ["Scheduling:PendingHoldTimeout"] = PendingHoldTimeout.ToString("c") },
            services => services.AddSingleton<ISchedulingFaults>(_faults));
    }

    public async Task DisposeAsync()
    {
        if (_silo is not null)
        {
            await _silo.DisposeAsync();
        }

        await _database.DisposeAsync();
    }

    [Fact]
    public async Task Every_write_step_can_fail_and_the_views_converge_to_the_ledger()
    {
        var ledger = Silo.Services.GetRequiredService<IAppointmentLedger>();
        Assert.IsNotType<MemoryAppointmentLedger>(ledger);
        var matrix = new FaultMatrix(Silo.Grains, ledger, _faults, TimeProvider.System,
            () => Task.Delay(PendingHoldTimeout + TimeSpan.FromMilliseconds(100)));

        var outcomes = await matrix.RunAsync();

        output.WriteLine(FaultMatrix.Table(outcomes));
        Assert.Equal(FaultMatrix.Cases().Count(), outcomes.Count);
        Assert.All(outcomes, o => Assert.True(o.Disagreement is null, $"{o.Case}: {o.Disagreement}"));
        Assert.DoesNotContain(outcomes, o => o.FirstAttempt.StartsWith("refused", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_cancellation_reason_the_text_rule_refuses_changes_nothing_and_a_retry_cancels()
    {
        var (clinicId, appointment) = await BookOneAsync();

        // U+0000 (which PostgreSQL text cannot hold) is refused by the grain's text rule before any
        // write, as the API refuses it at the edge: nothing may change anywhere. Faults of the
        // ledger statement itself are the fault matrix's cases.
        var refused = await appointment.CancelAsync("called\u0000in", null);
        Assert.False(refused.IsSuccess);
        Assert.Equal(ErrorKind.Validation, refused.Error!.Kind);
        Assert.Equal(AppointmentStatus.Booked, (await appointment.GetAsync())!.Status);
        Assert.Equal("booked", await StatusAsync(clinicId, appointment));

        var cancelled = await appointment.CancelAsync("called in", null);
        Assert.True(cancelled.IsSuccess, cancelled.Error?.Message);
        Assert.Equal(AppointmentStatus.Cancelled, (await appointment.GetAsync())!.Status);
        Assert.Equal("cancelled", await StatusAsync(clinicId, appointment));
    }

    [Fact]
    public async Task The_reconcile_command_repairs_views_that_disagree_with_the_ledger_and_then_finds_them_clean()
    {
        var (clinicId, appointment) = await BookOneAsync();
        Assert.Equal(AppointmentStatus.Booked, (await appointment.GetAsync())!.Status);

        // A change behind the grains' back (an operator's correction): the calendars and the
        // appointment's activation still show the visit booked.
        await TestDatabase.ScalarAsync<int>(_database.Owner, """
            WITH changed AS (
                UPDATE scheduling.appointment_ledger SET status = 'cancelled', version = version + 1
                WHERE clinic_id = @c RETURNING 1)
            SELECT count(*)::int FROM changed
            """, ("c", clinicId));
        string[] args = ["--clinic", clinicId, "--Silo:Clustering=AdoNet", $"--Postgres:ConnectionString={_database.App}"];

        var (firstExit, firstOutput) = await ReconcileAsync(args);
        var (secondExit, secondOutput) = await ReconcileAsync(args);

        output.WriteLine(firstOutput);
        output.WriteLine(secondOutput);
        Assert.Equal(1, firstExit);
        Assert.Contains("extra provider-calendar/", firstOutput, StringComparison.Ordinal);
        Assert.Contains("extra patient-calendar/", firstOutput, StringComparison.Ordinal);
        Assert.Contains("appointmentstale appointment/apt-nul", firstOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("unrepaired", firstOutput, StringComparison.Ordinal);
        Assert.Equal(0, secondExit);
        Assert.Contains($"{clinicId}: clean", secondOutput, StringComparison.Ordinal);
        Assert.Equal(AppointmentStatus.Cancelled, (await appointment.GetAsync())!.Status);
        Assert.Empty(await Silo.Grains.GetGrain<IProviderScheduleGrain>(ClinicScopedKey.Format(clinicId, "prv-nul")).GetBlocksAsync());
    }

    private static async Task<(int Exit, string Output)> ReconcileAsync(string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await SiloCommandLine.InvokeAsync(["reconcile", .. args], output, error);
        return (exit, output + error.ToString());
    }

    private async Task<(string ClinicId, IAppointmentGrain Appointment)> BookOneAsync()
    {
        var clinicId = TestData.NewId("nul");
        var grains = Silo.Grains;
        var clinic = grains.GetGrain<Clinics.IClinicGrain>(clinicId);
        Assert.True((await clinic.CreateAsync(new Clinics.ClinicSettings("NUL clinic", "UTC",
            [new Clinics.AppointmentType("checkup", 30, 10)], new Clinics.BookingPolicy(0, 90, 0, 15)))).IsSuccess);
        var hours = Enum.GetValues<DayOfWeek>().Select(d => new Clinics.WorkingHours(d, new TimeOnly(8, 0), new TimeOnly(18, 0))).ToList();
        Assert.True((await clinic.AddProviderAsync("prv-nul", new Clinics.ProviderProfile("Dr. Nul", "General", hours, []))).IsSuccess);
        var patientId = TestData.NewId("pat");
        Assert.True((await grains.GetGrain<Patients.IPatientGrain>(ClinicScopedKey.Format(clinicId, patientId))
            .CreateAsync(TestData.Patient(TestData.NewId("MRN")))).IsSuccess);
        var appointment = grains.GetGrain<IAppointmentGrain>(ClinicScopedKey.Format(clinicId, "apt-nul"));
        var start = new DateTimeOffset(DateTime.UtcNow.Date.AddDays(5).AddHours(10), TimeSpan.Zero);
        Assert.True((await appointment.BookAsync(new BookAppointment(patientId, "prv-nul", "checkup", start), null)).IsSuccess);
        return (clinicId, appointment);
    }

    private Task<string> StatusAsync(string clinicId, IAppointmentGrain appointment) =>
        TestDatabase.ScalarAsync<string>(_database.Owner,
            "SELECT status FROM scheduling.appointment_ledger WHERE clinic_id = @c AND appointment_id = @a",
            ("c", clinicId), ("a", ClinicScopedKey.Parse(appointment.GetPrimaryKeyString()).Id));
}
