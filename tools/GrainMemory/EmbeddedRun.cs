using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using ClinicCluster;
using ClinicCluster.Common;
using ClinicCluster.Patients;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;

namespace ClinicCluster.GrainMemory;

/// <summary>
/// GrainMemory [count] (the embedded mode): hosts one silo in this process (memory storage, as the embedded default),
/// activates `count` patient grains (default 100,000) by reading them, so each is an activated, idle
/// patient grain, and reports the managed heap per activation; then deactivates every idle grain and
/// reports what the heap returned to. Prints JSON. Bounded: at most 1,000,000 grains, loopback only.
/// Reads, not registrations: registering 100,000 patients in one clinic funnels every one through
/// the few name-index partitions of their name's first letters (a hot spot this tool found: calls
/// there took over a second and timed out at ~4,000 patients), which measures the index, not the
/// grain. A registered patient's state (its demographics record) comes on top of this figure.
/// </summary>
internal static class EmbeddedRun
{
    public static async Task<int> RunAsync(string[] args)
    {
        var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100_000;
        if (count is < 1000 or > 1_000_000)
        {
            Console.Error.WriteLine("usage: GrainMemory [count 1000..1000000]");
            return 2;
        }

        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddClinicGrainServices();
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(FreePort(), FreePort());
            silo.AddMemoryGrainStorage(StorageNames.Clinics);
            silo.AddMemoryGrainStorage(StorageNames.Patients);
            silo.AddMemoryGrainStorage(StorageNames.Scheduling);
            silo.UseInMemoryReminderService();
            silo.AddMemoryStreams(ClinicCluster.Audit.AuditStreams.ProviderName);
            silo.AddMemoryGrainStorage("PubSubStore");

            // Collection only when asked below, so the measured activations stay put until then.
            silo.Configure<GrainCollectionOptions>(o => o.CollectionAge = TimeSpan.FromHours(2));
        });
        using var host = builder.Build();
        await host.StartAsync();
        var grains = host.Services.GetRequiredService<IGrainFactory>();
        var management = grains.GetGrain<IManagementGrain>(0);

        const string clinic = "memory-clinic";
        await ActivateAsync(0, 1000);
        var baseline = Heap();
        var startedAt = Stopwatch.GetTimestamp();
        await ActivateAsync(1000, count);
        var created = Stopwatch.GetElapsedTime(startedAt);
        var activated = Heap();
        var activations = (await management.GetSimpleGrainStatistics()).Sum(s => s.ActivationCount);

        await management.ForceActivationCollection(TimeSpan.Zero);
        var afterCollection = Heap();
        var remaining = (await management.GetSimpleGrainStatistics()).Sum(s => s.ActivationCount);
        await host.StopAsync();

        var report = new
        {
            patients = count,
            activations,
            activateSeconds = Math.Round(created.TotalSeconds, 1),
            baselineBytes = baseline,
            activatedBytes = activated,
            bytesPerPatientGrain = (activated - baseline) / (count - 1000),
            afterDeactivationBytes = afterCollection,
            returnedFraction = Math.Round((double)(activated - afterCollection) / Math.Max(1, activated - baseline), 3),
            activationsAfterCollection = remaining,
        };
        Console.WriteLine(JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true }));
        return 0;

        async Task ActivateAsync(int from, int to) =>
            await Parallel.ForAsync(from, to, new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (i, cancellationToken) =>
            {
                var id = "pat-" + i.ToString("D7", CultureInfo.InvariantCulture);
                await grains.GetGrain<IPatientGrain>(ClinicScopedKey.Format(clinic, id)).GetAsync().WaitAsync(cancellationToken);
            });

        // The live managed heap after a full, compacting collection.
        static long Heap()
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            return GC.GetTotalMemory(forceFullCollection: true);
        }

        static int FreePort()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
    }
}
