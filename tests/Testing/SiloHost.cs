using System.Globalization;
using ClinicCluster.Silo.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ClinicCluster.Testing;

/// <summary>
/// A real silo in this process, configured as production would be: AdoNet clustering and
/// PostgreSQL storage and reminders, connected as the application role, on free ports.
/// </summary>
public sealed class SiloHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private SiloHost(WebApplication app) => _app = app;

    public IServiceProvider Services => _app.Services;

    public IGrainFactory Grains => _app.Services.GetRequiredService<IGrainFactory>();

    /// <summary>The silo's HTTP address (health probes).</summary>
    public Uri Http => new(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    /// <summary>
    /// Starts a silo on the database; <paramref name="settings"/> add or override configuration,
    /// <paramref name="services"/> replace services after the silo's own (test seams).
    /// </summary>
    public static async Task<SiloHost> StartAsync(string appConnectionString, IDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? services = null)
    {
        var builder = CreateBuilder(new Dictionary<string, string?>
        {
            ["Silo:Clustering"] = "AdoNet",
            ["Silo:Storage"] = "Postgres",
            ["Silo:SiloPort"] = Ports.Free().ToString(CultureInfo.InvariantCulture),
            ["Silo:GatewayPort"] = Ports.Free().ToString(CultureInfo.InvariantCulture),
            ["Silo:ShutdownTimeout"] = "00:00:05",
            // A non-UTC session time zone: membership and reminder times must not depend on it.
            ["Postgres:ConnectionString"] = appConnectionString + ";Timezone=America/New_York",

            // These suites test storage; mutual TLS is tested (and turned on) in Security.Tests.
            ["ClusterTls:Enabled"] = "false",
            ["Urls"] = "http://127.0.0.1:0",
            ["Encryption:KeyRingFile"] = TestKeyRings.PhiRingFile,
            ["Audit:ChainKeyFile"] = TestKeyRings.ChainRingFile,
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Orleans"] = "Error",
        });
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        builder.AddClinicSilo();
        services?.Invoke(builder.Services);
        var app = builder.Build();
        ClinicCluster.ServiceDefaults.ServiceDefaultsExtensions.MapDefaultEndpoints(app);
        await app.StartAsync();
        return new SiloHost(app);
    }

    /// <summary>This silo's address in the cluster.</summary>
    public SiloAddress Address => _app.Services.GetRequiredService<ILocalSiloDetails>().SiloAddress;

    /// <summary>How this silo's membership view sees <paramref name="silo"/> now.</summary>
    public SiloStatus StatusOf(SiloAddress silo) =>
        _app.Services.GetRequiredService<IClusterMembershipService>().CurrentSnapshot.GetSiloStatus(silo);

    /// <summary>
    /// Ends the silo abruptly, as Orleans' TestCluster.KillSiloAsync ends an in-process silo: the
    /// stop token is already cancelled, so the silo skips its graceful shutdown (no hand-off, no
    /// waiting for requests in flight, which never answer) and the host is disposed at once.
    /// </summary>
    public async Task KillAsync()
    {
        try
        {
            await _app.StopAsync(new CancellationToken(canceled: true));
        }
        finally
        {
            await _app.DisposeAsync();
        }
    }

    public ValueTask DisposeAsync() => new(StopAsync(_app));

    /// <summary>
    /// The builder of a silo (or the API) in this process: Development environment, content root
    /// beside the tests (no appsettings.json of the checkout), <paramref name="settings"/> as the
    /// configuration. For fixtures that wire the host themselves.
    /// </summary>
    public static WebApplicationBuilder CreateBuilder(IDictionary<string, string?> settings)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            EnvironmentName = "Development",
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Configuration.AddInMemoryCollection(settings);
        return builder;
    }

    /// <summary>A graceful stop (bounded: 15 s), then disposal, also when the stop fails.</summary>
    public static async Task StopAsync(WebApplication app)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        try
        {
            await app.StopAsync(timeout.Token);
        }
        finally
        {
            await app.DisposeAsync();
        }
    }
}
