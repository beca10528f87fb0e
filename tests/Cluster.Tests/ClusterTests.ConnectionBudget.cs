using System.Collections.Concurrent;
using System.Globalization;
using ClinicCluster.Cluster.Tests.Infrastructure;
using Npgsql;

namespace ClinicCluster.Cluster.Tests;

/// <summary>
/// The connection budget of docs/capacity.md under a burst: one silo and the API with
/// Postgres:MaxPoolSize = 5 (each process has one data source, so one pool: silo 5 + API 5),
/// on a database of its own (no other test's silo shares it) that admits only a few more
/// connections than that. 1,000 concurrent bookings of
/// 10 slots must be decided as exactly 10 x 201 and 990 x 409, nothing else (no 500 from an
/// exhausted server or an unserialisable driver exception; a 503 the client resends with its
/// Idempotency-Key is pushback, logged, not a decision), and the sampled connections of the
/// database never exceed the budget. Written against the HTTP API, so it holds whatever the
/// booking path does inside.
/// </summary>
public sealed partial class ClusterTests
{
    private const int PoolSize = 5;
    private const int Budget = PoolSize + PoolSize;
    private const int BurstAttempts = 5;

    [Fact(Timeout = 300_000)]
    [RunOrder(7)]
    public async Task A_burst_of_1000_bookings_for_10_slots_stays_within_the_connection_budget()
    {
        var database = await TestDatabase.CreateAsync("clinic_budget");
        try
        {
            await Binaries.MigrateAsync(database);
            await BurstWithinBudgetAsync(database);
        }
        finally
        {
            await database.DropAsync();
        }
    }

    private async Task BurstWithinBudgetAsync(TestDatabase database)
    {
        var pool = new Dictionary<string, string> { ["Postgres__MaxPoolSize"] = PoolSize.ToString(CultureInfo.InvariantCulture) };
        await using var cluster = new ClusterHarness(nameof(A_burst_of_1000_bookings_for_10_slots_stays_within_the_connection_budget), database, output, pool);
        await cluster.StartSiloAsync();
        var api = await cluster.StartApiAsync(pool, maxConnections: 1000);
        var clinic = await TestClinic.CreateAsync(api, "budget", providers: 1, patients: 100);
        var planner = clinic.Planner("budget-" + Guid.NewGuid().ToString("N")[..8]);

        // Few slots: the budget, the test's own connections (sampler, setup) and a few spare. Connections beyond
        // that would be refused by the server (53300) and show up as 503s.
        await SetConnectionLimitAsync(database, Budget + 5);
        try
        {
            using var sampling = new CancellationTokenSource();
            var sampler = SampleConnectionsAsync(database, sampling.Token);

            // Every patient tries every slot at once: 100 x 10 requests in flight together. A 503
            // (with Retry-After) or a client timeout is the overloaded system pushing back, not a
            // decision: the client sends the same request again with the same Idempotency-Key, as
            // a real one would, a bounded number of times. Only the decided answers are judged.
            var statuses = new ConcurrentDictionary<int, int>();
            var pushedBack = new ConcurrentDictionary<int, int>();
            var requests = Enumerable.Range(0, 1000).Select(i => Task.Run(async () =>
            {
                var booking = planner[i % 10] with
                {
                    PatientId = clinic.Patients[i / 10],
                    IdempotencyKey = $"{planner[0].IdempotencyKey}-burst-{i}",
                };
                var status = 0;
                for (var attempt = 1; attempt <= BurstAttempts; attempt++)
                {
                    try
                    {
                        status = (await api.BookAsync(clinic.Id, booking)).Status;
                    }
                    catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
                    {
                        status = 0;
                    }

                    if (status is not (0 or 503))
                    {
                        break;
                    }

                    pushedBack.AddOrUpdate(status, 1, (_, n) => n + 1);
                    await Task.Delay(TimeSpan.FromSeconds(attempt));
                }

                statuses.AddOrUpdate(status, 1, (_, n) => n + 1);
            })).ToList();
            await Task.WhenAll(requests);
            await Task.Delay(TimeSpan.FromSeconds(1));
            await sampling.CancelAsync();
            var (peak, samples, byApplication) = await sampler;

            var summary = string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}x{s.Value}"));
            var retried = string.Join(", ", pushedBack.OrderBy(s => s.Key).Select(s => $"{s.Key}x{s.Value}"));
            cluster.Log($"decided answers: {summary}; pushed back first (0 = client timeout): {(retried.Length == 0 ? "none" : retried)}; peak connections {peak} over {samples} samples (budget {Budget}); peak per application: {byApplication}");
            Assert.Equal(10, statuses.GetValueOrDefault(201));
            Assert.Equal(990, statuses.GetValueOrDefault(409));
            Assert.Equal(2, statuses.Count);
            Assert.True(samples > 10, $"too few connection samples ({samples})");
            Assert.True(peak <= Budget, $"{peak} connections, budget {Budget}");
        }
        finally
        {
            await SetConnectionLimitAsync(database, -1);
        }
    }

    private static async Task SetConnectionLimitAsync(TestDatabase database, int limit)
    {
        await using var connection = await database.OpenAsync();
        await using var command = new NpgsqlCommand(
            $"ALTER DATABASE \"{database.Name}\" CONNECTION LIMIT {limit.ToString(CultureInfo.InvariantCulture)}", connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// The most connections of this test's processes (application names clinic-*) to the test
    /// database seen at once, how many samples, and each pool's peak.
    /// </summary>
    private static async Task<(int Peak, int Samples, string ByApplication)> SampleConnectionsAsync(TestDatabase database, CancellationToken stop)
    {
        await using var connection = await database.OpenAsync();
        var (peak, samples) = (0, 0);
        var peaks = new SortedDictionary<string, int>(StringComparer.Ordinal);
        while (!stop.IsCancellationRequested)
        {
            await using (var command = new NpgsqlCommand(
                "SELECT application_name, count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() GROUP BY 1", connection))
            await using (var reader = await command.ExecuteReaderAsync(CancellationToken.None))
            {
                var total = 0;
                while (await reader.ReadAsync(CancellationToken.None))
                {
                    var (name, count) = (reader.GetString(0), (int)reader.GetInt64(1));
                    peaks[name] = Math.Max(peaks.GetValueOrDefault(name), count);
                    total += name.StartsWith("clinic-", StringComparison.Ordinal) ? count : 0;
                }

                peak = Math.Max(peak, total);
                samples++;
            }

            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50), stop);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        return (peak, samples, string.Join(", ", peaks.Select(p => $"'{p.Key}' {p.Value}")));
    }
}
