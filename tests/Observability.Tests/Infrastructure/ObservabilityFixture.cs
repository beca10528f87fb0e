extern alias api;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using ClinicCluster.Silo.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Npgsql;
using OpenTelemetry.Trace;
using AuthOptions = api::ClinicCluster.Api.Auth.AuthOptions;
using DevTokenIssuer = api::ClinicCluster.Api.Auth.DevTokenIssuer;

namespace ClinicCluster.Observability.Tests.Infrastructure;

/// <summary>
/// A silo and the API as production runs them: AdoNet clustering, PostgreSQL state, management
/// listeners on their own ports with a metrics bearer token, the dashboard behind an operator's
/// credentials. Both hosts reach PostgreSQL through <see cref="Proxy"/>, which a test can cut.
/// Both run in this process so in-memory exporters can catch their spans.
/// </summary>
public sealed class ObservabilityFixture : IAsyncLifetime
{
    public const string OperatorName = "operator";
    private const string SigningKey = "observability-tests-signing-key-0123456789-abcdefghijkl";
    private const string Audience = "clinic-cluster-api";

    private readonly TestDatabase _database = new();
    private WebApplication? _silo;
    private ApiFactory? _api;

    public string MetricsToken { get; } = Convert.ToHexString(RandomNumberGenerator.GetBytes(24));

    public string OperatorPassword { get; } = Convert.ToHexString(RandomNumberGenerator.GetBytes(12));

    public string MetricsTokenFile { get; private set; } = "";

    public TcpProxy Proxy { get; private set; } = null!;

    public int SiloManagementPort { get; } = Ports.Free();

    /// <summary>The silo-to-silo port: the dashboard names the silo by it.</summary>
    public int SiloPort { get; } = Ports.Free();

    public int ApiPort { get; } = Ports.Free();

    public int ApiManagementPort { get; } = Ports.Free();

    public Uri SiloManagement => new($"http://127.0.0.1:{SiloManagementPort}");

    public Uri ApiManagement => new($"http://127.0.0.1:{ApiManagementPort}");

    public SpanCollector Spans { get; } = new();

    /// <summary>The silo's readiness, checked every 100 ms while it started (before and after it joined).</summary>
    public IReadOnlyList<HealthStatus> SiloReadinessWhileStarting { get; private set; } = [];

    public ClinicApiClient Api { get; private set; } = null!;

    public string OwnerConnectionString => _database.Owner;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        await _database.MigrateAsync();

        var app = new NpgsqlConnectionStringBuilder(_database.App);
        var target = new IPEndPoint(IPAddress.Loopback, app.Port);
        Proxy = new TcpProxy(target, Ports.Free());
        Proxy.Open();
        app.Host = "127.0.0.1";
        app.Port = Proxy.Port;
        var proxied = app.ConnectionString;

        var secrets = RepoPaths.NewFolder("secrets");
        MetricsTokenFile = Path.Combine(secrets, "metrics-token");
        await File.WriteAllTextAsync(MetricsTokenFile, MetricsToken + "\n");
        var credentials = Path.Combine(secrets, "dashboard-operators");
        await File.WriteAllTextAsync(credentials, $"# operators\n{OperatorName}:{OperatorPassword}\n");

        var clusterId = "obs-" + Guid.NewGuid().ToString("N")[..8];
        var gatewayPort = Ports.Free();
        await StartSiloAsync(proxied, clusterId, gatewayPort, credentials);

        _api = new ApiFactory(new Dictionary<string, string>
        {
            ["urls"] = $"http://127.0.0.1:{ApiPort}",
            ["Management:Port"] = Invariant(ApiManagementPort),
            ["Management:MetricsTokenFile"] = MetricsTokenFile,
            ["Cluster:Clustering"] = "AdoNet",
            ["Cluster:ClusterId"] = clusterId,
            ["Cluster:ServiceId"] = clusterId,
            ["Postgres:ConnectionString"] = proxied,
            ["ClusterTls:Enabled"] = "false", // one machine; mutual TLS is tested in Security.Tests
            ["RateLimits:Enabled"] = "false",
            ["Auth:DevSigningKey"] = SigningKey,
            ["Auth:Audience"] = Audience,
            ["Demo:Seed"] = "false",
            ["Telemetry:TraceSampleRatio"] = "1",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Orleans"] = "Error",
        }, Spans);
        _api.StartServer();

        var token = DevTokenIssuer.Issue(new AuthOptions { DevSigningKey = SigningKey, Audience = Audience },
            "observability-tests", ["admin"], ["*"], DateTimeOffset.UtcNow);
        Api = new ClinicApiClient(new Uri($"http://127.0.0.1:{ApiPort}"), token);
        await Readiness.WaitAsync(ApiManagement, TimeSpan.FromSeconds(60));
    }

    public async Task DisposeAsync()
    {
        Api?.Dispose();
        if (_api is not null)
        {
            await _api.DisposeAsync();
        }

        if (_silo is not null)
        {
            await SiloHost.StopAsync(_silo);
        }

        if (Proxy is not null)
        {
            await Proxy.DisposeAsync();
        }

        await _database.DisposeAsync();
    }

    private async Task StartSiloAsync(string connectionString, string clusterId, int gatewayPort, string credentials)
    {
        var builder = SiloHost.CreateBuilder(new Dictionary<string, string?>
        {
            ["Silo:Clustering"] = "AdoNet",
            ["Silo:Storage"] = "Postgres",
            ["Silo:ClusterId"] = clusterId,
            ["Silo:ServiceId"] = clusterId,
            ["Silo:SiloPort"] = Invariant(SiloPort),
            ["Silo:GatewayPort"] = Invariant(gatewayPort),
            ["Silo:AdvertisedIPAddress"] = "127.0.0.1",
            ["Silo:ShutdownTimeout"] = "00:00:05",
            ["Postgres:ConnectionString"] = connectionString,
            ["ClusterTls:Enabled"] = "false",
            ["Encryption:KeyRingFile"] = TestKeyRings.PhiRingFile,
            ["Audit:ChainKeyFile"] = TestKeyRings.ChainRingFile,
            ["Management:Port"] = Invariant(SiloManagementPort),
            ["Management:MetricsTokenFile"] = MetricsTokenFile,
            ["Dashboard:CredentialsFile"] = credentials,
            ["Telemetry:DatabaseGaugeInterval"] = "00:00:01",
            ["Telemetry:TraceSampleRatio"] = "1", // no OTLP here: spans go to the in-memory exporter
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Orleans"] = "Error",
        });
        _silo = SiloApplication.Build(builder, services =>
            services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(Spans)));

        var health = _silo.Services.GetRequiredService<HealthCheckService>();
        var observations = new List<HealthStatus>();
        var start = _silo.StartAsync();
        while (!start.IsCompleted)
        {
            observations.Add((await health.CheckHealthAsync(r => r.Tags.Contains("ready"))).Status);
            await Task.WhenAny(start, Task.Delay(100));
        }

        await start;
        observations.Add((await health.CheckHealthAsync(r => r.Tags.Contains("ready"))).Status);
        SiloReadinessWhileStarting = observations;
    }

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);

    private sealed class ApiFactory : WebApplicationFactory<api::Program>
    {
        private readonly IReadOnlyDictionary<string, string> _settings;
        private readonly SpanCollector _spans;

        public ApiFactory(IReadOnlyDictionary<string, string> settings, SpanCollector spans)
        {
            _settings = settings;
            _spans = spans;

            // A real socket: Prometheus and Chromium need to reach it, and the management port is a second listener.
            UseKestrel();
        }

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            // Host settings reach Program as arguments, so they are visible while it configures services.
            builder.UseEnvironment("Development");
            foreach (var (key, value) in _settings)
            {
                builder.UseSetting(key, value);
            }

            builder.ConfigureServices(services =>
                services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(_spans)));
        }
    }
}

/// <summary>All observability tests share one silo and one API and run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class ObservabilityCollection : ICollectionFixture<ObservabilityFixture>
{
    public const string Name = "Observability of a silo and the API on PostgreSQL";
}
