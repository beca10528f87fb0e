using ClinicCluster.Scheduling;

namespace ClinicCluster.Domain.Tests;

public sealed class CompensationTests
{
    [Fact]
    public async Task A_failed_step_is_undone_and_its_own_exception_reaches_the_caller()
    {
        var undone = 0;
        var original = new InvalidOperationException("ledger write");

        var seen = await Assert.ThrowsAsync<InvalidOperationException>(() => Compensation.OrUndoAsync(
            () => throw original, () => { undone++; return Task.CompletedTask; }, _ => Assert.Fail("the undo did not fail")));

        Assert.Same(original, seen);
        Assert.Equal(1, undone);
    }

    [Theory]
    [InlineData(typeof(TimeoutException))]
    [InlineData(typeof(OperationCanceledException))]
    public async Task When_the_undo_fails_too_the_caller_still_sees_the_step_s_exception(Type undoFailure)
    {
        var original = new InvalidOperationException("ledger write");
        var logged = new List<Exception>();

        var seen = await Assert.ThrowsAsync<InvalidOperationException>(() => Compensation.OrUndoAsync(
            () => throw original, () => throw (Exception)Activator.CreateInstance(undoFailure)!, logged.Add));

        Assert.Same(original, seen);
        Assert.IsType(undoFailure, Assert.Single(logged));
    }

    [Fact]
    public async Task A_step_that_succeeds_is_not_undone()
    {
        var undone = false;

        await Compensation.OrUndoAsync(() => Task.CompletedTask, () => { undone = true; return Task.CompletedTask; }, _ => { });

        Assert.False(undone);
    }

    [Fact]
    public async Task Trying_an_undo_reports_its_failure_instead_of_throwing()
    {
        var logged = new List<Exception>();

        Assert.True(await Compensation.TryAsync(() => Task.CompletedTask, logged.Add));
        Assert.False(await Compensation.TryAsync(() => Task.FromException(new TimeoutException()), logged.Add));

        Assert.IsType<TimeoutException>(Assert.Single(logged));
    }
}
