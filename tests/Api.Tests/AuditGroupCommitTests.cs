using ClinicCluster.Api.Audit;
using ClinicCluster.Audit;

namespace ClinicCluster.Api.Tests;

/// <summary>The API's group commit of audit events, against a publish the test controls.</summary>
public sealed class AuditGroupCommitTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Events_arriving_while_a_publish_is_in_flight_go_together_in_the_next_one()
    {
        var publisher = new GatedPublisher();
        var commit = new AuditGroupCommit(publisher.PublishAsync, maxBatchSize: 256);

        var first = commit.EnqueueAsync(Event("c1"));
        var firstCall = await publisher.NextCallAsync();
        var waiting = Enumerable.Range(0, 49).Select(_ => commit.EnqueueAsync(Event("c1"))).ToList();
        Assert.False(first.IsCompleted);

        firstCall.Release();
        await first.WaitAsync(Timeout);
        var secondCall = await publisher.NextCallAsync();
        Assert.Single(firstCall.Events);
        Assert.Equal(49, secondCall.Events.Count);
        // Durable before the response: nobody in the second batch is done before its publish returns.
        Assert.All(waiting, t => Assert.False(t.IsCompleted));

        secondCall.Release();
        await Task.WhenAll(waiting).WaitAsync(Timeout);
        Assert.Equal(2, publisher.Calls);
    }

    [Fact]
    public async Task A_failed_publish_fails_exactly_the_requests_in_its_batch()
    {
        var publisher = new GatedPublisher();
        var commit = new AuditGroupCommit(publisher.PublishAsync, maxBatchSize: 256);

        var first = commit.EnqueueAsync(Event("c1"));
        var firstCall = await publisher.NextCallAsync();
        var doomed = Enumerable.Range(0, 5).Select(_ => commit.EnqueueAsync(Event("c1"))).ToList();
        firstCall.Release();
        await first.WaitAsync(Timeout);

        var secondCall = await publisher.NextCallAsync();
        var later = commit.EnqueueAsync(Event("c1"));
        secondCall.Fail(new TimeoutException("queue down"));
        foreach (var task in doomed)
        {
            await Assert.ThrowsAsync<TimeoutException>(() => task.WaitAsync(Timeout));
        }

        var thirdCall = await publisher.NextCallAsync();
        Assert.Single(thirdCall.Events);
        thirdCall.Release();
        await later.WaitAsync(Timeout);
    }

    [Fact]
    public async Task Clinics_publish_independently_and_batches_stay_within_the_maximum()
    {
        var publisher = new GatedPublisher();
        var commit = new AuditGroupCommit(publisher.PublishAsync, maxBatchSize: 10);

        var blocked = commit.EnqueueAsync(Event("c1"));
        var c1Call = await publisher.NextCallAsync();
        var other = commit.EnqueueAsync(Event("c2"));
        var c2Call = await publisher.NextCallAsync();
        Assert.Equal("c2", c2Call.ClinicId);
        c2Call.Release();
        await other.WaitAsync(Timeout);
        Assert.False(blocked.IsCompleted);

        var queued = Enumerable.Range(0, 25).Select(_ => commit.EnqueueAsync(Event("c1"))).ToList();
        c1Call.Release();
        var sizes = new List<int>();
        for (var i = 0; i < 3; i++)
        {
            var call = await publisher.NextCallAsync();
            sizes.Add(call.Events.Count);
            call.Release();
        }

        await Task.WhenAll(queued).WaitAsync(Timeout);
        Assert.Equal([10, 10, 5], sizes);
    }

    private static AuditEvent Event(string clinic) => new(
        Guid.CreateVersion7(), DateTimeOffset.UtcNow, clinic, AuditAction.Read, AuditOutcome.Success,
        new AuditActor("tester", "admin", "127.0.0.1", "tests"), "pat-1", "Patient", "pat-1", "GetPatient", 200,
        "TREAT", null, null, null);

    /// <summary>A publish that returns only when the test releases (or fails) it.</summary>
    private sealed class GatedPublisher
    {
        private readonly System.Threading.Channels.Channel<Call> _calls = System.Threading.Channels.Channel.CreateUnbounded<Call>();
        private int _count;

        public int Calls => _count;

        public Task PublishAsync(string clinicId, IReadOnlyList<AuditEvent> events)
        {
            Interlocked.Increment(ref _count);
            var call = new Call(clinicId, events.ToList());
            _calls.Writer.TryWrite(call);
            return call.Gate.Task;
        }

        public async Task<Call> NextCallAsync() => await _calls.Reader.ReadAsync().AsTask().WaitAsync(Timeout);
    }

    private sealed record Call(string ClinicId, IReadOnlyList<AuditEvent> Events)
    {
        public TaskCompletionSource Gate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Release() => Gate.SetResult();

        public void Fail(Exception exception) => Gate.SetException(exception);
    }
}
