using System.Collections.Concurrent;
using ClinicCluster.Cluster.Tests.Infrastructure;

namespace ClinicCluster.Cluster.Tests;

/// <summary>
/// Every test of this assembly runs in this one collection, one at a time: each starts several
/// .NET processes, and running two such tests at once on a small machine would measure the
/// machine, not the cluster.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ClusterCollection : ICollectionFixture<ClusterSuiteFixture>
{
    public const string Name = "cluster";
}

/// <summary>
/// Once per run, and one run at a time (see <see cref="RunLock"/>): builds the silo and the API,
/// makes sure the private PostgreSQL server runs, creates a fresh database and migrates it with the
/// silo's own <c>migrate</c> command, then starts the <see cref="NoShowScenario"/> (which has to
/// let a minute of real time pass). At the end it kills any process a test left running, drops the
/// database (unless CLUSTER_TESTS_KEEP_DB=1) and stops the server if this run started it.
/// </summary>
public sealed class ClusterSuiteFixture : IAsyncLifetime
{
    private RunLock? _runLock;
    private PostgresServer? _server;
    private TestDatabase? _database;
    private NoShowScenario? _noShow;

    public TestDatabase Database => _database ?? throw new InvalidOperationException("The database is not ready.");

    /// <summary>The server, for a test that needs a database of its own.</summary>
    public PostgresServer Server => _server ?? throw new InvalidOperationException("The server is not ready.");

    /// <summary>What the failover tests saw acknowledged, for the ledger check that runs after them.</summary>
    public ConcurrentBag<(string ClinicId, string AppointmentId)> FailoverAcknowledged { get; } = [];

    public NoShowScenario NoShow => _noShow ?? throw new InvalidOperationException("The no-show scenario did not start.");

    public async Task InitializeAsync()
    {
        _runLock = await RunLock.AcquireAsync(TimeSpan.FromMinutes(20));
        ChildProcess.ReapLeftovers(RepoPaths.Bin);
        var build = Binaries.EnsureBuiltAsync();
        var server = PostgresServer.GetAsync();
        await Task.WhenAll(build, server);
        _server = await server;
        _database = await TestDatabase.CreateAsync("clinic_cluster");
        await Binaries.MigrateAsync(_database);
        _noShow = NoShowScenario.Start(_database);
    }

    public async Task DisposeAsync()
    {
        if (_noShow is not null)
        {
            await _noShow.DisposeAsync();
        }

        ChildProcess.KillAll();
        if (_database is not null && Environment.GetEnvironmentVariable("CLUSTER_TESTS_KEEP_DB") != "1")
        {
            await _database.DropAsync();
        }

        if (_server is not null)
        {
            await _server.StopIfStartedAsync();
        }

        _runLock?.Dispose();
    }
}
