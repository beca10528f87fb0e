using ClinicCluster.Scheduling;
using ClinicCluster.Testing.Faults;
using Xunit.Abstractions;

namespace ClinicCluster.Grains.Tests;

/// <summary>
/// The fault matrix in the embedded default (in-memory ledger grain, two silos): every write step
/// of book, reschedule, cancel, check-in, complete and no-show fails once, by exception or timeout,
/// then a retry or reconciliation alone brings appointment, calendars and ledger to one answer.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class FaultInjectionTests(ClusterFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task Every_write_step_can_fail_and_the_views_converge_to_the_ledger()
    {
        var matrix = new FaultMatrix(fixture.GrainFactory, new MemoryAppointmentLedger(fixture.GrainFactory), ClusterFixture.Faults,
            ClusterFixture.Clock, () =>
            {
                ClusterFixture.Clock.Advance(TimeSpan.FromSeconds(61));
                return Task.CompletedTask;
            });

        var outcomes = await matrix.RunAsync();

        output.WriteLine(FaultMatrix.Table(outcomes));
        Assert.Equal(FaultMatrix.Cases().Count(), outcomes.Count);
        Assert.All(outcomes, o => Assert.True(o.Disagreement is null, $"{o.Case}: {o.Disagreement}"));
        // Every armed fault fired: no case passed because its step was never reached.
        Assert.DoesNotContain(outcomes, o => o.FirstAttempt.StartsWith("refused", StringComparison.Ordinal));
    }
}
