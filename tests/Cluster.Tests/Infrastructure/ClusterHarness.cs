using System.Diagnostics;
using System.Globalization;
using Xunit.Abstractions;

namespace ClinicCluster.Cluster.Tests.Infrastructure;

/// <summary>
/// Real processes for one test: silos (ADO.NET clustering and PostgreSQL storage on the run's
/// database, each on its own free ports) and the API as a cluster client. Every test gets its own
/// cluster id, so membership rows of earlier tests (including silos killed on purpose) never
/// matter, and its own service id, so grain state and reminders of other tests' clusters are never
/// picked up (replacement silos within a test share both, as in a rolling update). Disposing kills
/// whatever still runs, also when the test failed.
/// </summary>
public sealed class ClusterHarness : IAsyncDisposable
{
    /// <summary>How long a silo may take to hand off its grains on SIGTERM.</summary>
    public static readonly TimeSpan SiloShutdownTimeout = TimeSpan.FromSeconds(20);

    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(120);

    private readonly TestDatabase _database;
    private readonly ITestOutputHelper _output;
    private readonly IReadOnlyDictionary<string, string> _siloSettings;
    private readonly HttpClient _probe = new() { Timeout = TimeSpan.FromSeconds(3) };
    private readonly List<SiloProcess> _silos = [];
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private ChildProcess? _api;
    private ClinicApi? _client;
    private int _siloCount;
    private bool _disposed;

    public ClusterHarness(string testName, TestDatabase database, ITestOutputHelper output, IReadOnlyDictionary<string, string>? siloSettings = null)
    {
        TestName = testName;
        _database = database;
        _output = output;
        _siloSettings = siloSettings ?? new Dictionary<string, string>();
        LogFolder = RepoPaths.LogFolder(testName);
        var suffix = Guid.NewGuid().ToString("N")[..12];
        ClusterId = "cluster-" + suffix;
        ServiceId = "service-" + suffix;
        KeyRingFile = WriteKeyRing(LogFolder);
        ChainKeyFile = Path.Combine(LogFolder, "audit-chain-keys.json");
        var chainKey = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        File.WriteAllText(ChainKeyFile, "{\"activeKeyId\":\"chain-1\",\"keys\":{\"chain-1\":\"" + chainKey + "\"}}");
    }

    /// <summary>The audit chain key ring every silo of this cluster mounts (Audit:ChainKeyFile).</summary>
    public string ChainKeyFile { get; }

    /// <summary>The PHI key ring every silo of this cluster mounts (Encryption:KeyRingFile).</summary>
    public string KeyRingFile { get; }

    public string TestName { get; }

    public string ClusterId { get; }

    public string ServiceId { get; }

    public string LogFolder { get; }

    /// <summary>Every silo started so far, including stopped and killed ones.</summary>
    public IReadOnlyList<SiloProcess> Silos => _silos;

    public IEnumerable<SiloProcess> RunningSilos => _silos.Where(s => !s.Process.HasExited);

    public ClinicApi Client => _client ?? throw new InvalidOperationException("The API is not started.");

    public ChildProcess ApiProcess => _api ?? throw new InvalidOperationException("The API is not started.");

    /// <summary>Starts <paramref name="count"/> silos at once and waits until each is an active member.</summary>
    public async Task<IReadOnlyList<SiloProcess>> StartSilosAsync(int count)
    {
        var silos = Enumerable.Range(0, count).Select(_ => LaunchSilo()).ToList();
        await Task.WhenAll(silos.Select(s => WaitReadyAsync(s.Name, s.Process, s.HttpPort)));
        return silos;
    }

    public async Task<SiloProcess> StartSiloAsync()
    {
        var silo = LaunchSilo();
        await WaitReadyAsync(silo.Name, silo.Process, silo.HttpPort);
        return silo;
    }

    /// <summary>
    /// Starts the API as a client of this cluster and waits until it reaches a silo; extra
    /// environment settings override the defaults, and the client opens at most
    /// <paramref name="maxConnections"/> HTTP connections.
    /// </summary>
    public async Task<ClinicApi> StartApiAsync(IReadOnlyDictionary<string, string>? settings = null, int maxConnections = 64)
    {
        var port = Ports.Free();
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["DOTNET_ENVIRONMENT"] = "Development",
            ["Urls"] = Url(port),
            ["Cluster__Clustering"] = "AdoNet",
            ["Cluster__ClusterId"] = ClusterId,
            ["Cluster__ServiceId"] = ServiceId,
            ["Postgres__ConnectionString"] = _database.Api,
            ["Auth__DevSigningKey"] = DevToken.SigningKey,

            // One caller drives the whole load from one address; the edge limits are tested in Security.Tests.
            ["RateLimits__Enabled"] = "false",
            ["Connections__MaxConnectionsPerAddress"] = "100000",

            // Failover is tested here; mutual TLS in Security.Tests.
            ["ClusterTls__Enabled"] = "false",
            ["Logging__LogLevel__Default"] = "Information",
            ["Logging__LogLevel__ClinicCluster"] = "Information",
            ["Logging__LogLevel__Microsoft.AspNetCore"] = "Warning",
            ["Logging__LogLevel__Orleans"] = "Warning",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            environment[key] = value;
        }

        _api = ChildProcess.Start("api", "dotnet", [Binaries.ApiPath], Binaries.ApiFolder, environment, Path.Combine(LogFolder, "api.log"));
        await WaitReadyAsync("api", _api, port);
        _client = new ClinicApi(port, DevToken.Admin(), maxConnections);
        return _client;
    }

    /// <summary>SIGKILL: the silo vanishes without leaving the cluster or handing anything off.</summary>
    public void Kill(SiloProcess silo)
    {
        Log($"SIGKILL {silo.Name} (pid {silo.Process.Id})");
        silo.Process.Kill();
    }

    /// <summary>SIGTERM, then waits (bounded by the shutdown timeout plus a margin) for a graceful exit.</summary>
    public async Task<(bool Exited, int? ExitCode, TimeSpan Took)> TerminateAsync(SiloProcess silo)
    {
        Log($"SIGTERM {silo.Name} (pid {silo.Process.Id})");
        var started = Stopwatch.GetTimestamp();
        await silo.Process.TerminateAsync();
        var exited = await silo.Process.WaitForExitAsync(SiloShutdownTimeout + TimeSpan.FromSeconds(20));
        var took = Stopwatch.GetElapsedTime(started);
        Log($"{silo.Name} {(exited ? $"exited with {silo.Process.ExitCode}" : "did not exit")} after {took.TotalSeconds:0.0} s");
        return (exited, silo.Process.ExitCode, took);
    }

    /// <summary>A line in the test output with the seconds since the harness started.</summary>
    public void Log(string message)
    {
        try
        {
            _output.WriteLine($"[{_clock.Elapsed.TotalSeconds,7:0.0}s] {message}");
        }
        catch (InvalidOperationException)
        {
            // The test already finished (a background task outlived it).
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _client?.Dispose();
        _probe.Dispose();
        _api?.Dispose();
        foreach (var silo in _silos)
        {
            silo.Process.Dispose();
        }

        await Task.CompletedTask;
    }

    private static string WriteKeyRing(string folder)
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, "phi-key-ring.json");
        static string Key() => Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        File.WriteAllText(path, $$"""{"activeKeyId":"cluster-1","keys":{"cluster-1":"{{Key()}}"},"indexKey":"{{Key()}}"}""");
        return path;
    }

    private SiloProcess LaunchSilo()
    {
        var name = $"silo{++_siloCount}";
        var (http, siloPort, gateway) = (Ports.Free(), Ports.Free(), Ports.Free());
        var environment = new Dictionary<string, string>
        {
            ["DOTNET_ENVIRONMENT"] = "Development",
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["Urls"] = Url(http),
            ["Silo__Clustering"] = "AdoNet",
            ["Silo__Storage"] = "Postgres",
            ["Silo__ClusterId"] = ClusterId,
            ["Silo__ServiceId"] = ServiceId,
            ["Silo__SiloPort"] = siloPort.ToString(CultureInfo.InvariantCulture),
            ["Silo__GatewayPort"] = gateway.ToString(CultureInfo.InvariantCulture),
            ["Silo__AdvertisedIPAddress"] = "127.0.0.1",
            ["Silo__ShutdownTimeout"] = SiloShutdownTimeout.ToString("c", CultureInfo.InvariantCulture),
            ["Postgres__ConnectionString"] = _database.App,
            ["Encryption__KeyRingFile"] = KeyRingFile,
            ["Audit__ChainKeyFile"] = ChainKeyFile,

            // Failover is tested here; mutual TLS in Security.Tests.
            ["ClusterTls__Enabled"] = "false",

            // "Booked appointment" lines (AppointmentGrain, Information) tell which silo hosted which booking.
            ["Logging__LogLevel__Default"] = "Information",
            ["Logging__LogLevel__ClinicCluster"] = "Information",
            ["Logging__LogLevel__Microsoft.AspNetCore"] = "Warning",
            ["Logging__LogLevel__Orleans"] = "Warning",
            ["Logging__LogLevel__Orleans.Runtime.MembershipService"] = "Information",
            ["Logging__LogLevel__Orleans.Runtime.Silo"] = "Information",
        };
        foreach (var (key, value) in _siloSettings)
        {
            environment[key] = value;
        }

        var process = ChildProcess.Start(name, "dotnet", [Binaries.SiloPath], Binaries.SiloFolder, environment, Path.Combine(LogFolder, name + ".log"));
        var silo = new SiloProcess(name, process, http, siloPort, gateway);
        _silos.Add(silo);
        Log($"started {name} (pid {process.Id}, http {http}, silo {siloPort}, gateway {gateway})");
        return silo;
    }

    private async Task WaitReadyAsync(string name, ChildProcess process, int port)
    {
        var took = await Readiness.WaitAsync(_probe, new Uri(Url(port) + "/health/ready"), ReadyTimeout,
            failure: () => process.HasExited ? $"{name} exited with code {process.ExitCode}" : null,
            detail: () => $"{name}'s log {process.LogPath}:\n{process.LogTail()}");
        Log($"{name} ready after {took.TotalSeconds:0.0} s");
    }

    private static string Url(int port) => "http://127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture);
}
