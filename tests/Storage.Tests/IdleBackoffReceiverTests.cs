using System.ComponentModel.DataAnnotations;
using ClinicCluster.Silo.Streams;
using Microsoft.Extensions.Configuration;
using Orleans.Streams;

namespace ClinicCluster.Storage.Tests;

/// <summary>The idle back-off of the audit queue receivers (decision 0019), counted in agent ticks.</summary>
public sealed class IdleBackoffReceiverTests
{
    [Fact]
    public async Task An_empty_queue_is_read_at_doubling_intervals_up_to_the_ceiling()
    {
        var queue = new ScriptedReceiver();
        var receiver = new IdleBackoffReceiver(queue, maxIntervalTicks: 10);

        var readAt = new List<int>();
        for (var tick = 1; tick <= 60; tick++)
        {
            var before = queue.Reads;
            Assert.Empty(await receiver.GetQueueMessagesAsync(64, CancellationToken.None));
            if (queue.Reads > before)
            {
                readAt.Add(tick);
            }
        }

        // Intervals 1, 1, 2, 4, 8, then the ceiling of 10 ticks.
        Assert.Equal([1, 2, 4, 8, 16, 26, 36, 46, 56], readAt);
        Assert.Equal(10, receiver.IntervalTicks);
    }

    [Fact]
    public async Task The_first_read_that_finds_messages_returns_to_every_tick()
    {
        var queue = new ScriptedReceiver();
        var receiver = new IdleBackoffReceiver(queue, maxIntervalTicks: 10);
        for (var tick = 0; tick < 40; tick++)
        {
            await receiver.GetQueueMessagesAsync(64, CancellationToken.None);
        }

        queue.Pending = 3;
        var found = 0;
        for (var tick = 0; tick < 10 && found == 0; tick++)
        {
            found = (await receiver.GetQueueMessagesAsync(64, CancellationToken.None)).Count;
        }

        Assert.Equal(3, found);
        Assert.Equal(1, receiver.IntervalTicks);
        queue.Pending = 2;
        var reads = queue.Reads;
        Assert.Equal(2, (await receiver.GetQueueMessagesAsync(64, CancellationToken.None)).Count);
        Assert.Equal(reads + 1, queue.Reads);
    }

    [Fact]
    public async Task Confirmations_pass_through_while_backing_off()
    {
        var queue = new ScriptedReceiver();
        var receiver = new IdleBackoffReceiver(queue, maxIntervalTicks: 10);
        for (var tick = 0; tick < 20; tick++)
        {
            await receiver.GetQueueMessagesAsync(64, CancellationToken.None);
        }

        await receiver.MessagesDeliveredAsync([], CancellationToken.None);
        await receiver.MessagesDeliveredAsync([]);

        Assert.Equal(2, queue.Confirmations);
    }

    [Fact]
    public void The_ceiling_defaults_to_one_second_and_may_not_be_below_the_poll_interval()
    {
        Assert.Equal(10, AuditStreamOptions.Read(Configuration()).IdlePollMaxTicks);
        Assert.Equal(3, AuditStreamOptions.Read(Configuration(("IdlePollMaxInterval", "00:00:00.250"))).IdlePollMaxTicks);

        var error = Assert.ThrowsAny<Exception>(() => AuditStreamOptions.Read(Configuration(
            ("PollInterval", "00:00:00.500"), ("IdlePollMaxInterval", "00:00:00.200"))));
        Assert.Contains("Audit:Stream:IdlePollMaxInterval", error.Message, StringComparison.Ordinal);
        Assert.ThrowsAny<Exception>(() => AuditStreamOptions.Read(Configuration(("IdlePollMaxInterval", "00:01:00"))));
    }

    private static IConfiguration Configuration(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => KeyValuePair.Create<string, string?>($"Audit:Stream:{s.Key}", s.Value)))
            .Build();

    /// <summary>A queue that answers <see cref="Pending"/> messages once, then nothing; counts reads.</summary>
    private sealed class ScriptedReceiver : IQueueAdapterReceiver
    {
        public int Pending { get; set; }

        public int Reads { get; private set; }

        public int Confirmations { get; private set; }

        public Task Initialize(TimeSpan timeout) => Task.CompletedTask;

        public Task<IList<IBatchContainer>> GetQueueMessagesAsync(int maxCount)
        {
            Reads++;
            IList<IBatchContainer> messages = Enumerable.Range(0, Pending).Select(_ => (IBatchContainer)null!).ToList();
            Pending = 0;
            return Task.FromResult(messages);
        }

        public Task MessagesDeliveredAsync(IList<IBatchContainer> messages)
        {
            Confirmations++;
            return Task.CompletedTask;
        }

        public Task Shutdown(TimeSpan timeout) => Task.CompletedTask;
    }
}
