using System.Diagnostics;
using System.Diagnostics.Metrics;
using ClinicCluster.Audit;
using ClinicCluster.Persistence.Postgres.Audit;
using ClinicCluster.Silo.Streams;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace ClinicCluster.Storage.Tests;

/// <summary>
/// The durable audit stream end to end: an Orleans client publishes as the API does, a silo with
/// PostgreSQL storage consumes through the ADO.NET stream provider into audit.events.
/// </summary>
public sealed class AuditStreamTests : IAsyncLifetime
{
    private static readonly TimeSpan ArrivalTimeout = TimeSpan.FromSeconds(60);

    private readonly TestDatabase _database = new();

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        await _database.MigrateAsync();
    }

    public Task DisposeAsync() => _database.DisposeAsync();

    [Fact]
    public async Task Published_events_arrive_exactly_once_and_chained_per_clinic()
    {
        var clinics = Enumerable.Range(0, 3).Select(_ => TestData.NewId("clinic")).ToArray();
        var events = Enumerable.Range(0, 200).Select(i => Event(clinics[i % clinics.Length])).ToList();

        await using var silo = await SiloHost.StartAsync(_database.App);
        // The receivers that deliver here are the idle back-off's (decision 0019).
        Assert.IsType<IdleBackoffQueueAdapterFactory>(
            silo.Services.GetRequiredKeyedService<Orleans.Streams.IQueueAdapterFactory>(AuditStreams.ProviderName));
        await using var client = await AuditStreamClient.StartAsync(_database.App);
        // Concurrent publishers, as concurrent API requests would be.
        await Parallel.ForEachAsync(events, new ParallelOptions { MaxDegreeOfParallelism = 8 },
            async (e, _) => await client.PublishAsync(e));

        await WaitForEventsAsync(events.Count);
        await AssertStoredExactlyOnceAsync(events);
        await AssertChainsAsync(events);
        await WaitForEmptyQueueAsync();
        Assert.Equal(0L, await _database.ScalarAsync<long>("SELECT count(*) FROM orleans.stream_dead_letters"));
    }

    [Fact]
    public async Task Events_queued_while_the_consumer_cannot_write_arrive_exactly_once_through_a_new_silo()
    {
        var clinics = new[] { TestData.NewId("clinic"), TestData.NewId("clinic") };
        var beforeStop = Enumerable.Range(0, 60).Select(i => Event(clinics[i % 2])).ToList();
        var whileDown = Enumerable.Range(0, 40).Select(i => Event(clinics[i % 2])).ToList();
        // Short leases, so events leased by the stopped silo are not held for the default 2 minutes.
        var settings = new Dictionary<string, string?> { ["Audit:Stream:VisibilityTimeout"] = "00:00:05" };

        await using var client = await ClientOnFirstSiloAsync(settings, async () =>
        {
            // The consumer fails on every event: its role may no longer claim event ids.
            await ExecuteAsOwnerAsync("REVOKE INSERT ON audit.event_ids FROM clinic_app");
        }, beforeStop);

        // No silo runs now; the publish needs only the queue table.
        foreach (var e in whileDown)
        {
            await client.PublishAsync(e);
        }

        Assert.Equal(0L, await _database.ScalarAsync<long>("SELECT count(*) FROM audit.events"));
        Assert.Equal(100L, await _database.ScalarAsync<long>("SELECT count(*) FROM orleans.stream_messages"));

        await ExecuteAsOwnerAsync("GRANT INSERT ON audit.event_ids TO clinic_app");
        await using var second = await SiloHost.StartAsync(_database.App, settings);

        var all = beforeStop.Concat(whileDown).ToList();
        await WaitForEventsAsync(all.Count);
        await AssertStoredExactlyOnceAsync(all);
        await AssertChainsAsync(all);
        await WaitForEmptyQueueAsync();
        Assert.Equal(0L, await _database.ScalarAsync<long>("SELECT count(*) FROM orleans.stream_dead_letters"));
    }

    [Fact]
    public async Task An_event_delivered_twice_is_stored_once()
    {
        var clinic = TestData.NewId("clinic");
        var twice = Event(clinic);
        var other = Event(clinic);

        await using var silo = await SiloHost.StartAsync(_database.App);
        await using var client = await AuditStreamClient.StartAsync(_database.App);
        await client.PublishAsync(twice);
        await client.PublishAsync(twice);
        await client.PublishAsync(other);

        await WaitForEventsAsync(2);
        // Both copies were delivered and confirmed, not merely still queued.
        await WaitForEmptyQueueAsync();
        await AssertStoredExactlyOnceAsync([twice, other]);
        await AssertChainsAsync([twice, other]);
    }

    [Fact]
    public async Task The_dead_letter_gauge_reports_the_kept_dead_letters()
    {
        await ExecuteAsOwnerAsync(
            "INSERT INTO orleans.stream_dead_letters VALUES ('clinic-cluster', 'audit', 'audit-0', 1, 20, now(), now(), now(), now(), now(), 'attempts', '\\x00')");
        await using var silo = await SiloHost.StartAsync(_database.App);

        // Only this silo's gauge: other tests' silos report their own databases.
        var factory = silo.Services.GetRequiredService<IMeterFactory>();
        long? reported = null;
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Name == "audit.dead_letters" && ReferenceEquals(instrument.Meter.Scope, factory))
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => reported = value);
        listener.Start();

        // The first reading starts the query; a later one reports its result.
        await WaitUntilAsync(() =>
        {
            listener.RecordObservableInstruments();
            return Task.FromResult(reported == 1);
        });
    }

    /// <summary>Starts a silo and a client, runs <paramref name="prepare"/>, publishes, waits until every event is leased, and stops the silo.</summary>
    private async Task<AuditStreamClient> ClientOnFirstSiloAsync(
        Dictionary<string, string?> settings, Func<Task> prepare, IReadOnlyList<AuditEvent> events)
    {
        await using var first = await SiloHost.StartAsync(_database.App, settings);
        var client = await AuditStreamClient.StartAsync(_database.App);
        await prepare();
        foreach (var e in events)
        {
            await client.PublishAsync(e);
        }

        // Every event reached the silo (and failed there) before it stops.
        await WaitUntilAsync(async () => await _database.ScalarAsync<long>(
            "SELECT count(*) FROM orleans.stream_messages WHERE dequeued > 0") == events.Count);
        return client;
    }

    private static AuditEvent Event(string clinicId) => new(
        Guid.CreateVersion7(),
        DateTimeOffset.UtcNow,
        clinicId,
        AuditAction.Read,
        AuditOutcome.Success,
        new AuditActor("user-1", "clinician", "127.0.0.1", "tests"),
        TestData.NewId("pat"),
        "Patient",
        null,
        "getPatient",
        200,
        "TREAT",
        null,
        null,
        null);

    private Task WaitForEventsAsync(int count) =>
        WaitUntilAsync(async () => await _database.ScalarAsync<long>("SELECT count(*) FROM audit.events") >= count);

    private Task WaitForEmptyQueueAsync() =>
        WaitUntilAsync(async () => await _database.ScalarAsync<long>("SELECT count(*) FROM orleans.stream_messages") == 0);

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var watch = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(watch.Elapsed < ArrivalTimeout, $"Condition not met within {ArrivalTimeout.TotalSeconds} s.");
            await Task.Delay(200);
        }
    }

    private async Task AssertStoredExactlyOnceAsync(IReadOnlyList<AuditEvent> published)
    {
        var stored = new List<Guid>();
        await using (var connection = new NpgsqlConnection(_database.Owner))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT event_id FROM audit.events", connection);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                stored.Add(reader.GetGuid(0));
            }
        }

        Assert.Equal(published.Select(e => e.EventId).Distinct().Order(), stored.Order());
    }

    private async Task AssertChainsAsync(IReadOnlyList<AuditEvent> published)
    {
        await using var dataSource = NpgsqlDataSource.Create(_database.Owner);
        var verifier = new AuditChainVerifier(dataSource, TestKeyRings.ChainKeys);
        foreach (var clinic in published.GroupBy(e => e.ClinicId))
        {
            var result = await verifier.VerifyAsync(clinic.Key, CancellationToken.None);
            Assert.True(result.IsIntact, result.Problem);
            Assert.Equal(clinic.Select(e => e.EventId).Distinct().Count(), result.VerifiedRecords);
        }
    }

    private async Task ExecuteAsOwnerAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_database.Owner);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
