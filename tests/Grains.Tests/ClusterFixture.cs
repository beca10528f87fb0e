using ClinicCluster.Scheduling;
using ClinicCluster.Testing.Faults;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.TestingHost;

namespace ClinicCluster.Grains.Tests;

/// <summary>
/// One two-silo Orleans test cluster shared by every grain test. The silos use in-memory grain
/// storage and a fake clock frozen at <see cref="StartInstant"/>, so booking-policy checks are
/// deterministic. Every test works in its own randomly named clinic, so tests never see each
/// other's data.
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    /// <summary>Monday 2026-06-01 08:00 in New York (EDT, UTC-4).</summary>
    public static readonly DateTimeOffset StartInstant = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// The clock of both silos. It never goes back: a test that advances it must keep the advance
    /// small (other tests book days ahead or relative to the current fake time).
    /// </summary>
    public static FakeTimeProvider Clock { get; } = new(StartInstant);

    /// <summary>The fault seam of both silos; disarmed unless a fault-injection test arms it.</summary>
    public static ArmedFaults Faults { get; } = new();

    /// <summary>The seam where the clinics' calendar replicas take publications; disarmed unless a test arms it.</summary>
    public static ArmedReplicaFaults ReplicaFaults { get; } = new();

    private TestCluster? _cluster;

    public TestCluster Cluster => _cluster ?? throw new InvalidOperationException("The cluster is not started.");

    public IGrainFactory GrainFactory => Cluster.GrainFactory;

    public async Task InitializeAsync()
    {
        var builder = new TestClusterBuilder(2);
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();

        // Sweeps only when a test asks (SweeperTests): grain timers run on the fake clock, and the
        // tests' advances of it (an hour or two in all) must not fire a sweep behind their back.
        builder.ConfigureHostConfiguration(configuration => configuration.AddInMemoryCollection(
            new Dictionary<string, string?> { ["Scheduling:SweepInterval"] = "30.00:00:00" }));
        _cluster = builder.Build();
        await _cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.StopAllSilosAsync();
            await _cluster.DisposeAsync();
        }
    }

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            siloBuilder
                .AddMemoryGrainStorage(StorageNames.Clinics)
                .AddMemoryGrainStorage(StorageNames.Patients)
                .AddMemoryGrainStorage(StorageNames.Scheduling)
                .UseInMemoryReminderService();
            siloBuilder.Services.AddClinicGrainServices();

            // Registered after AddClinicGrainServices' TryAddSingleton(TimeProvider.System): the last one wins.
            siloBuilder.Services.AddSingleton<TimeProvider>(Clock);
            siloBuilder.Services.AddSingleton<ISchedulingFaults>(Faults);
            siloBuilder.Services.AddSingleton<IReplicaFaults>(ReplicaFaults);
        }
    }
}

/// <summary>All grain tests share one cluster and run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "Orleans cluster";
}
