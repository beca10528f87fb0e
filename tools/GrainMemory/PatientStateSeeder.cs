using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using ClinicCluster.Patients;
using ClinicCluster.Persistence.Postgres;
using ClinicCluster.Security;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Storage;

namespace ClinicCluster.GrainMemory;

/// <summary>
/// <c>seed --clinics 200 --patients-per-clinic 5000 [--service-id clinic-cluster] [--parallelism 16]</c>:
/// the bulk path for registered patients (docs/capacity.md). Hosts a silo of its own (localhost
/// clustering, so it never joins the measured cluster) with the silo's PostgreSQL grain storage and
/// serializer and the PHI protector of <c>Encryption:KeyRingFile</c>, and writes each patient's
/// state exactly as <c>PatientGrain</c> stores it (demographics encrypted, bound to the field)
/// through that storage provider, under the service id the measured silo reads. Not written: the
/// MRN and name index rows (rows, not grain memory) and the registration's audit event. Resumable:
/// a chunk whose last state exists is skipped, a state that exists is kept.
/// Settings from the environment: <c>Postgres__ConnectionString</c>, <c>Encryption__KeyRingFile</c>.
/// </summary>
internal static class PatientStateSeeder
{
    private const int Chunk = 10_000;

    public static async Task<int> RunAsync(ToolArguments arguments)
    {
        var population = new SeedPopulation(arguments.Int("clinics", 200, 1, 1000), arguments.Int("patients-per-clinic", 5_000, 1, 1_000_000));
        var parallelism = arguments.Int("parallelism", 16, 1, 64);
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddClinicGrainServices();
        var dataSource = builder.Services.AddPostgresDataSource(builder.Configuration, applicationName: "grain-memory-seed");
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(FreePort(), FreePort(), serviceId: arguments.Text("service-id", "clinic-cluster"), clusterId: "grain-memory-seed");
            silo.AddAdoNetGrainStorage(StorageNames.Patients, o =>
            {
                o.Invariant = PostgresSchema.Invariant;
                o.DataSource = dataSource;
                o.GrainStorageSerializer = new Persistence.Postgres.GrainStorage.SystemTextJsonGrainStorageSerializer();
            });

            // What the grain services expect of any silo (EmbeddedRun); nothing here uses them.
            silo.AddMemoryGrainStorage(StorageNames.Clinics);
            silo.AddMemoryGrainStorage(StorageNames.Scheduling);
            silo.UseInMemoryReminderService();
            silo.AddMemoryStreams(ClinicCluster.Audit.AuditStreams.ProviderName);
            silo.AddMemoryGrainStorage("PubSubStore");
        });
        using var host = builder.Build();
        await host.StartAsync();
        var storage = host.Services.GetRequiredKeyedService<IGrainStorage>(StorageNames.Patients);
        var protector = host.Services.GetRequiredService<IPhiProtector>();
        var grains = host.Services.GetRequiredService<IGrainFactory>();
        var started = Stopwatch.StartNew();
        long written = 0;
        for (long from = 0; from < population.Total; from += Chunk)
        {
            var to = Math.Min(population.Total, from + Chunk);
            if (await ExistsAsync(storage, grains, population.At(to - 1)))
            {
                continue;
            }

            await Parallel.ForAsync(from, to, new ParallelOptions { MaxDegreeOfParallelism = parallelism }, async (i, _) =>
            {
                if (await WriteAsync(storage, grains, protector, population.At(i)))
                {
                    Interlocked.Increment(ref written);
                }
            });
            Console.Error.WriteLine($"seed: {to:N0} of {population.Total:N0}, {written / Math.Max(1, started.Elapsed.TotalSeconds):F0} states/s");
        }

        await host.StopAsync();
        Console.WriteLine($"seed: {written:N0} patient states written in {started.Elapsed.TotalSeconds:F0} s; {population.Total:N0} registered ({population.Clinics} clinics x {population.PatientsPerClinic:N0}).");
        return 0;
    }

    private static async Task<bool> ExistsAsync(IGrainStorage storage, IGrainFactory grains, (string Clinic, string Patient) at)
    {
        var state = new GrainState<PatientState>(new PatientState());
        await storage.ReadStateAsync("patient", GrainIdOf(grains, at), state);
        return state.RecordExists;
    }

    private static async Task<bool> WriteAsync(IGrainStorage storage, IGrainFactory grains, IPhiProtector protector, (string Clinic, string Patient) at)
    {
        var number = int.Parse(at.Patient.AsSpan(4), System.Globalization.CultureInfo.InvariantCulture);
        var demographics = await protector.ProtectAsync(SeedPopulation.Demographics(number), PhiField.PatientDemographics(at.Clinic, at.Patient));
        var now = DateTimeOffset.UtcNow;
        var state = new GrainState<PatientState>(new PatientState { Patient = new ProtectedPatient(at.Patient, at.Clinic, demographics, now, now, Version: 1) });
        try
        {
            await storage.WriteStateAsync("patient", GrainIdOf(grains, at), state);
            return true;
        }
        catch (InconsistentStateException)
        {
            return false; // Written by an earlier, interrupted run: kept.
        }
    }

    private static GrainId GrainIdOf(IGrainFactory grains, (string Clinic, string Patient) at) =>
        grains.GetGrain<IPatientGrain>(SeedPopulation.Key(at)).GetGrainId();

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
