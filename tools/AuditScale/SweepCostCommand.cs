using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using ClinicCluster.Persistence.Postgres.Ledger;
using ClinicCluster.Scheduling;
using ClinicCluster.Security;
using Npgsql;

namespace ClinicCluster.AuditScale;

/// <summary>
/// <c>AuditScale sweep</c>: what one sweep of a clinic costs the database at the data's size, for
/// scripts/bench-scale.sh (issue 21). A sweep (<c>AppointmentSweeperGrain</c>) reads the clinic's
/// due rows and its checked-in visits left open through the ledger; this runs those two reads, as
/// the sweeper does, one round after another, and reports their latency and the database time per
/// clinic-day at the default sweep interval. The marking itself is per due appointment, the same at
/// every size. Writes the figures in LoadGen's result shape (<c>--out</c>) so the benchmark's
/// summary reads them as a scenario.
/// </summary>
public static class SweepCostCommand
{
    private const int Limit = 200;
    private const int WarmupRounds = 20;

    public static async Task<int> RunAsync(IReadOnlyDictionary<string, string> options)
    {
        if (!options.TryGetValue("connection", out var connection) || !options.TryGetValue("clinic", out var clinic)
            || !options.TryGetValue("key-ring-file", out var keyRingFile))
        {
            Console.Error.WriteLine("usage: AuditScale sweep --connection <owner connection string> --clinic ID --key-ring-file F [--rounds 500] [--out file.json]");
            return 64;
        }

        var rounds = int.Parse(options.GetValueOrDefault("rounds", "500"), CultureInfo.InvariantCulture);
        var ring = KeyRing.Load(keyRingFile, "--key-ring-file", requireIndexKey: true);
        var protector = new PhiProtector(new LocalKeyRingProvider(ring), ring.IndexKeys!);
        await using var dataSource = NpgsqlDataSource.Create(connection);
        var ledger = new PostgresAppointmentLedger(dataSource, protector);
        var defaults = new SchedulingOptions();

        var (timings, rows) = (new List<double>(rounds), 0L);
        var watch = Stopwatch.StartNew();
        for (var round = -WarmupRounds; round < rounds; round++)
        {
            var started = Stopwatch.GetTimestamp();
            var now = DateTimeOffset.UtcNow;
            var due = await ledger.DueAsync(clinic, now.AddMinutes(-15), now + defaults.DueSoonBefore, Limit);
            // The sweeper asks from the start of the clinic's day; a day back reads the same index range.
            var open = await ledger.CheckedInBeforeAsync(clinic, now.AddHours(-24), Limit);
            if (round == -1)
            {
                watch.Restart();
            }
            else if (round >= 0)
            {
                timings.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                rows += due.Count + open.Count;
            }
        }

        var elapsed = watch.Elapsed.TotalSeconds;
        var latency = Summary.Of(timings);
        var perDay = TimeSpan.FromDays(1) / defaults.SweepInterval * timings.Average() / 1000;
        Console.WriteLine(FormattableString.Invariant(
            $"sweep: {rounds} rounds, p50 {latency.P50:F2} ms, p99 {latency.P99:F2} ms, {(double)rows / rounds:F0} rows a sweep; {perDay:F1} s of reads per clinic-day at one sweep every {defaults.SweepInterval.TotalSeconds:F0} s"));
        if (options.TryGetValue("out", out var output))
        {
            await File.WriteAllTextAsync(output, JsonSerializer.Serialize(new
            {
                throughput = rounds / elapsed,
                latencyMs = new { p50 = latency.P50, p99 = latency.P99, max = latency.Max },
                statuses = new Dictionary<string, int> { ["200"] = rounds },
                rowsPerSweep = (double)rows / rounds,
                readSecondsPerClinicDay = perDay,
            }));
        }

        return 0;
    }
}
