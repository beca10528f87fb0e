using System.Diagnostics;
using System.Text.Json;
using ClinicCluster.Patients;
using ClinicCluster.Persistence.Postgres;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;

namespace ClinicCluster.GrainMemory;

/// <summary>
/// <c>activate --silo-pid PID --cluster-id ID --clinics 200 --patients-per-clinic 5000 --active 100000
/// --limit-mib 1536 [--wait 00:10:00] [--trim-wait 00:03:00] [--return-bound-percent 25]</c>: joins the silo's cluster as a client (AdoNet clustering,
/// <c>Postgres__ConnectionString</c>), reads <c>--active</c> seeded patients (each read activates
/// the patient grain: its state read from PostgreSQL and decrypted) and reports the silo process's
/// RSS before, at the peak (VmHWM) and after the silo's own idle collection
/// (<c>Silo:GrainCollection:CollectionAge</c>, set short for the run) has deactivated them, against
/// the chart's memory limit, then after the silo's memory trim (<c>Silo:MemoryTrim</c>) had its
/// chance. Exit code 1 when the peak passes the limit, the patient grains do not deactivate within
/// <c>--wait</c>, or RSS does not come back to before + <c>--return-bound-percent</c> of (peak -
/// before) within <c>--trim-wait</c>.
/// </summary>
internal static class SiloMemoryRun
{
    public static async Task<int> RunAsync(ToolArguments arguments)
    {
        var pid = arguments.Int("silo-pid", 0, 1, int.MaxValue);
        var population = new SeedPopulation(arguments.Int("clinics", 200, 1, 1000), arguments.Int("patients-per-clinic", 5_000, 1, 1_000_000));
        var active = arguments.Int("active", 100_000, 1_000, 1_000_000);
        var limit = arguments.Int("limit-mib", 1536, 64, 1 << 20);
        var wait = arguments.Time("wait", TimeSpan.FromMinutes(10));
        var maxTrimWait = arguments.Time("trim-wait", TimeSpan.FromMinutes(3));
        var returnBound = arguments.Int("return-bound-percent", 25, 0, 100) / 100.0;
        if (active > population.Total)
        {
            throw new ArgumentException("--active must not exceed the seeded patients");
        }

        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var dataSource = builder.Services.AddPostgresDataSource(builder.Configuration, applicationName: "grain-memory");
        builder.UseOrleansClient(client =>
        {
            client.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = arguments.Text("cluster-id");
                o.ServiceId = arguments.Text("service-id", "clinic-cluster");
            });
            client.UseAdoNetClustering(o =>
            {
                o.Invariant = PostgresSchema.Invariant;
                o.DataSource = dataSource;
            });
        });
        using var host = builder.Build();
        await host.StartAsync();
        var grains = host.Services.GetRequiredService<IClusterClient>();
        var management = grains.GetGrain<IManagementGrain>(0);

        var before = ProcessMemory.Read(pid);
        var started = Stopwatch.StartNew();
        var missing = 0;
        await Parallel.ForAsync(0L, active, new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (i, cancellationToken) =>
        {
            if (await grains.GetGrain<IPatientGrain>(SeedPopulation.Key(population.At(i))).GetAsync().WaitAsync(cancellationToken) is null)
            {
                Interlocked.Increment(ref missing);
            }
        });
        var activateTime = started.Elapsed;
        var atPeak = ProcessMemory.Read(pid);
        var peakActivations = await PatientActivationsAsync(management);

        // Idle from here: the silo's collector deactivates them after the collection age.
        var idle = Stopwatch.StartNew();
        var remaining = peakActivations;
        while (remaining > active / 100 && idle.Elapsed < wait)
        {
            await Task.Delay(TimeSpan.FromSeconds(5));
            remaining = await PatientActivationsAsync(management);
        }

        var deactivated = idle.Elapsed;
        var afterDeactivation = ProcessMemory.Read(pid);

        // The silo's memory trim (Silo:MemoryTrim) runs once it has seen an idle sample after the
        // deactivations. Judged at the end of --trim-wait, not at the lowest reading: an idle silo's
        // own allocations fill its young generation again after the trim, and that is its steady state.
        var bound = before.Rss + returnBound * (atPeak.Peak - before.Rss);
        var settled = afterDeactivation;
        var lowest = afterDeactivation.Rss;
        for (var waited = TimeSpan.Zero; waited < maxTrimWait; waited += TimeSpan.FromSeconds(5))
        {
            await Task.Delay(TimeSpan.FromSeconds(5));
            settled = ProcessMemory.Read(pid);
            lowest = Math.Min(lowest, settled.Rss);
        }

        var returned = settled.Rss <= bound;
        await host.StopAsync();

        // The deactivation itself allocates: the process's peak can come after the reads.
        var peak = Math.Max(atPeak.Peak, settled.Peak);
        var withinLimit = peak <= limit;
        var report = new
        {
            registeredPatients = population.Total,
            activePatients = active,
            missingStates = missing,
            activateSeconds = Math.Round(activateTime.TotalSeconds, 1),
            patientActivationsAtPeak = peakActivations,
            rssBeforeMiB = before.Rss,
            rssAfterActivationMiB = atPeak.Rss,
            rssPeakMiB = atPeak.Peak,
            kibPerActiveGrain = Math.Round((atPeak.Rss - before.Rss) * 1024 / active, 2),
            siloMemoryLimitMiB = limit,
            rssPeakOverallMiB = peak,
            peakOfLimit = Math.Round(peak / limit, 3),
            withinLimit,
            deactivatedAfterSeconds = Math.Round(deactivated.TotalSeconds, 0),
            patientActivationsAfterIdle = remaining,
            rssAfterDeactivationMiB = afterDeactivation.Rss,
            rssLowestAfterDeactivationMiB = lowest,
            rssAfterTrimWaitMiB = settled.Rss,
            trimWaitSeconds = Math.Round(maxTrimWait.TotalSeconds, 0),
            rssBoundMiB = Math.Round(bound, 1),
            returnedFraction = Math.Round((atPeak.Peak - settled.Rss) / Math.Max(1, atPeak.Peak - before.Rss), 3),
            returned,
        };
        Console.WriteLine(JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true }));
        return withinLimit && returned && missing == 0 && remaining <= active / 100 ? 0 : 1;
    }

    private static async Task<int> PatientActivationsAsync(IManagementGrain management) =>
        (await management.GetSimpleGrainStatistics())
            .Where(s => s.GrainType.Contains("PatientGrain", StringComparison.Ordinal))
            .Sum(s => s.ActivationCount);
}
