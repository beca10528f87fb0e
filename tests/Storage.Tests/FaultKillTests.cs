using System.Diagnostics;
using ClinicCluster.Scheduling;
using ClinicCluster.Testing.Faults;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace ClinicCluster.Storage.Tests;

/// <summary>
/// The kill fault on PostgreSQL, where the ledger outlives a silo: for every write step of every
/// verb, the silo running the step dies at it. The client retries the same request (same
/// appointment id and fingerprint for a booking) through a survivor; then, after the pending-hold
/// timeout and reconciliation, the appointment, both calendars and the ledger must agree and the
/// slot must be exactly as taken as the ledger says (<see cref="FaultMatrix"/>'s checks).
/// </summary>
/// <remarks>
/// How a silo dies: three in-process silo hosts (production wiring, <see cref="SiloHost"/>) share
/// the database. At the armed step <see cref="KillFaults"/> freezes the silo's steps (nothing of
/// the dying request runs after it: no compensation, record or retry timer), and the test stops
/// that host with an already-cancelled token, which is how Orleans' TestCluster.KillSiloAsync kills
/// an in-process silo: no graceful hand-off, no wait for requests in flight (their callers hear the
/// silo is unavailable), and our grains write nothing on deactivation. Unlike kill -9 the dying silo still marks its own membership row dead,
/// so the survivors notice at once and the cases stay fast; a silent death detected by missed
/// probes is tests/Cluster.Tests' kill -9 under load. A replacement silo joins before each case.
/// </remarks>
public sealed class FaultKillTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int ClusterSize = 3;
    private const int MaxRetries = 8;
    private static readonly TimeSpan PendingHoldTimeout = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan CaseTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan AnswerAfterDeath = TimeSpan.FromSeconds(6);
    private static readonly TimeSpan RetryPause = TimeSpan.FromMilliseconds(250);

    private readonly TestDatabase _database = new();
    private readonly KillFaults _kill = new();

    // FaultMatrix's own seam, never armed here: the kill is armed through KillFaults.
    private readonly ArmedFaults _unarmed = new();
    private SiloPool? _pool;

    private SiloPool Pool => _pool ?? throw new InvalidOperationException("The silos are not started.");

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        await _database.MigrateAsync();
        _pool = new SiloPool(_database.App, _kill,
            new Dictionary<string, string?> { ["Scheduling:PendingHoldTimeout"] = PendingHoldTimeout.ToString("c") });
        await _pool.FillAsync(ClusterSize);
    }

    public async Task DisposeAsync()
    {
        if (_pool is not null)
        {
            await _pool.DisposeAsync();
        }

        await _database.DisposeAsync();
    }

    [Fact]
    public async Task Killing_the_silo_at_every_write_step_converges_after_a_retry_through_a_survivor()
    {
        var total = Stopwatch.StartNew();
        var cases = FaultMatrix.Cases().Select(c => (c.Operation, c.Step)).Distinct().ToList();
        var clinicId = await Matrix(Pool.Live[0]).CreateClinicAsync();
        var outcomes = new List<KillOutcome>();
        try
        {
            for (var i = 0; i < cases.Count; i++)
            {
                outcomes.Add(await RunAsync(clinicId, cases[i].Operation, cases[i].Step, i).WaitAsync(CaseTimeout));
            }
        }
        finally
        {
            output.WriteLine(KillOutcome.Table(outcomes, total.Elapsed));
        }

        // Book and reschedule: six steps each; the four status verbs: four each.
        Assert.Equal((2 * 6) + (4 * 4), outcomes.Count);
        Assert.All(outcomes, o => Assert.True(o.Disagreement is null, $"{o.Operation}/{o.Step}: {o.Disagreement}"));
        Assert.All(outcomes, o => Assert.False(o.FirstAttempt == "succeeded", $"{o.Operation}/{o.Step}: answered although its silo died"));
    }

    private async Task<KillOutcome> RunAsync(string clinicId, SchedulingOperation operation, FaultStep step, int index)
    {
        var took = Stopwatch.StartNew();
        await Pool.FillAsync(ClusterSize);
        var caller = Pool.Live[index % ClusterSize];
        var scene = await Matrix(caller).PrepareAsync(clinicId, operation);
        var before = await VersionAsync(caller, scene);

        _kill.Arm(operation, step, scene.AppointmentId);
        var first = Matrix(caller).ActAsync(scene, operation);
        try
        {
            await Task.WhenAny(_kill.Fired, first).WaitAsync(StepTimeout);
        }
        finally
        {
            _kill.Disarm();
        }

        if (!_kill.Fired.IsCompleted)
        {
            return new KillOutcome(operation, step, "-", await AnswerAsync(first, TimeSpan.Zero), 0, "-", 0,
                "the request answered without reaching the step", took.Elapsed);
        }

        var victim = Pool[await _kill.Fired];
        var callerDied = ReferenceEquals(victim, caller);
        await Pool.KillAsync(await _kill.Fired);

        // Where the silo died, as the ledger tells it: its statement committed exactly when the step
        // comes after the commit, so the kill fired at the armed step and nothing ran past it.
        var committed = await VersionAsync(Pool.Live[0], scene) != before;
        if (committed != (step is FaultStep.LedgerCommitted or FaultStep.RecordProvider or FaultStep.RecordPatient))
        {
            return new KillOutcome(operation, step, callerDied ? "caller" : "other", "-", 0, "-", 0,
                committed ? "the ledger committed although the silo died before the statement" : "the ledger lost a commit", took.Elapsed);
        }

        // A caller that died with the silo gets no answer; a surviving caller hears that the silo is dead.
        var firstAttempt = await AnswerAsync(first, callerDied ? TimeSpan.Zero : AnswerAfterDeath);
        var matrix = Matrix(callerDied ? Pool.Live[0] : caller);
        var (retries, refusal) = await RetryAsync(matrix, scene, operation);
        if (refusal is not null)
        {
            return new KillOutcome(operation, step, callerDied ? "caller" : "other", firstAttempt, retries, "-", 0,
                "the retry answered " + refusal, took.Elapsed);
        }

        var converged = await matrix.ConvergeAsync(scene, reconcile: true);
        return new KillOutcome(operation, step, callerDied ? "caller" : "other", firstAttempt, retries,
            converged.Reconciled ? "retry + reconciliation" : "retry", converged.Findings, converged.Disagreement, took.Elapsed);
    }

    /// <summary>The client's retry of the same request; a call that fails (not a refusal) is tried again, bounded.</summary>
    private async Task<(int Attempts, string? Refusal)> RetryAsync(FaultMatrix matrix, FaultScene scene, SchedulingOperation operation)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var retry = await matrix.ActAsync(scene, operation);
                return (attempt, retry.IsSuccess ? null : retry.Error!.Code);
            }
            catch (Exception exception) when (attempt < MaxRetries)
            {
                output.WriteLine($"{operation}: retry {attempt} failed with {exception.GetType().Name}; trying again");
                await Task.Delay(RetryPause);
            }
        }
    }

    private static async Task<string> AnswerAsync(Task<ClinicCluster.Common.Result<Appointment>> attempt, TimeSpan wait)
    {
        try
        {
            var result = await attempt.WaitAsync(wait);
            return result.IsSuccess ? "succeeded" : "refused " + result.Error!.Code;
        }
        catch (TimeoutException) when (!attempt.IsCompleted)
        {
            return "no answer";
        }
        catch (Exception exception)
        {
            return "failed: " + exception.GetType().Name;
        }
    }

    private static async Task<long?> VersionAsync(SiloHost silo, FaultScene scene) =>
        (await silo.Services.GetRequiredService<IAppointmentLedger>().GetAsync(scene.ClinicId, scene.AppointmentId))?.Version;

    private FaultMatrix Matrix(SiloHost silo) => new(silo.Grains, silo.Services.GetRequiredService<IAppointmentLedger>(), _unarmed,
        TimeProvider.System, () => Task.Delay(PendingHoldTimeout + TimeSpan.FromMilliseconds(100)));
}
