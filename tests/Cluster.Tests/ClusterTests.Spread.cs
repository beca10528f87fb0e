using System.Diagnostics;
using ClinicCluster.Cluster.Tests.Infrastructure;

namespace ClinicCluster.Cluster.Tests;

/// <summary>Three silo processes and the API on one database: work spreads, and every booking can be read back.</summary>
public sealed partial class ClusterTests
{
    private const int SpreadBookings = 300;

    [Fact(Timeout = 240_000)]
    [RunOrder(1)]
    public async Task Bookings_spread_across_silos_are_all_readable()
    {
        await using var cluster = new ClusterHarness(nameof(Bookings_spread_across_silos_are_all_readable), suite.Database, output);
        var silos = await cluster.StartSilosAsync(3);
        var api = await cluster.StartApiAsync();
        var clinic = await TestClinic.CreateAsync(api, "spread", providers: 10, patients: 50);
        cluster.Log($"clinic {clinic.Id}: {clinic.Providers.Count} providers, {clinic.Patients.Count} patients");

        var load = new LoadRun(api, clinic.Id, clinic.Planner("spread"), new LoadOptions(Concurrency: 16, TimeSpan.FromSeconds(120), SpreadBookings)
        {
            StallLimit = TimeSpan.FromSeconds(30),
        });
        var timer = Stopwatch.StartNew();
        await load.RunAsync();
        cluster.Log($"{SpreadBookings} bookings in {timer.Elapsed.TotalSeconds:0.0} s");

        var attempts = load.Attempts;
        var unexpected = attempts.Where(a => a.Status != 201).ToList();
        Assert.True(unexpected.Count == 0,
            $"{unexpected.Count} booking attempts did not answer 201:\n" + string.Join('\n', unexpected.Take(20).Select(DescribeAttempt)));
        Assert.Equal(SpreadBookings, load.Acknowledged.Count);

        var (failures, retries) = await ReadBack.VerifyAsync(api, clinic.Id, load.Acknowledged);
        Assert.True(failures.Count == 0, $"{failures.Count} acknowledged bookings are not readable as booked:\n" + string.Join('\n', failures.Take(20)));
        Assert.Equal(0, retries);

        // Each booking logs "Booked appointment" once, on the silo that hosted its appointment grain.
        // The console logger writes asynchronously: give the last lines a moment to reach the files.
        var perSilo = silos.ToDictionary(s => s.Name, _ => 0);
        for (var attempt = 0; attempt < 40; attempt++)
        {
            foreach (var silo in silos)
            {
                perSilo[silo.Name] = silo.CountLogLines("Booked appointment");
            }

            if (perSilo.Values.Sum() >= SpreadBookings)
            {
                break;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250));
        }

        cluster.Log("\"Booked appointment\" lines per silo: " + string.Join(", ", perSilo.Select(p => $"{p.Key}={p.Value}")));
        Results.Write("bookingsSpread", new
        {
            bookings = SpreadBookings,
            seconds = Math.Round(timer.Elapsed.TotalSeconds, 1),
            bookedLinesPerSilo = perSilo,
        });
        Assert.Equal(SpreadBookings, perSilo.Values.Sum());
        Assert.True(perSilo.Values.Count(v => v > 0) >= 2, "Fewer than two silos hosted bookings: " + string.Join(", ", perSilo));
    }

    private static string DescribeAttempt(Attempt a) => $"{a.Key}: {a.Status} {a.Error}";
}
