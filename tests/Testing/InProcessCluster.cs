extern alias api;

using System.Globalization;
using ClinicCluster.Silo.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ApiProgram = api::Program;

namespace ClinicCluster.Testing;

/// <summary>
/// A real silo started in this process (memory storage, localhost clustering on free ports from
/// <see cref="Ports"/>) and the API hosted in a <see cref="WebApplicationFactory{TEntryPoint}"/> as
/// an Orleans client of it, in the Development environment with a dev signing key. The in-memory
/// fixtures of Api.Tests and Fhir.Tests are built on it; the PostgreSQL mode is <see cref="SiloHost"/>.
/// </summary>
public sealed class InProcessCluster : IAsyncDisposable
{
    private readonly WebApplication _silo;
    private readonly ApiFactory _factory;

    private InProcessCluster(WebApplication silo, ApiFactory factory, int gatewayPort)
    {
        _silo = silo;
        _factory = factory;
        GatewayPort = gatewayPort;
    }

    /// <summary>The API host (create clients from it, with or without handlers of the suite).</summary>
    public WebApplicationFactory<ApiProgram> Factory => _factory;

    public int GatewayPort { get; }

    /// <summary>The silo's services (its audit chain keys, for checking links).</summary>
    public IServiceProvider SiloServices => _silo.Services;

    /// <summary>Grain access to the silo, for reading what the API wrote (the audit trail).</summary>
    public IGrainFactory Grains => _silo.Services.GetRequiredService<IGrainFactory>();

    /// <summary>
    /// Starts the silo, then the API with <paramref name="tokens"/>' signing key and audience, and
    /// waits until the API is ready. <paramref name="apiSettings"/> and <paramref name="siloSettings"/>
    /// add or override the API's and the silo's settings (a suite's own configuration).
    /// </summary>
    public static async Task<InProcessCluster> StartAsync(TestTokens tokens, IReadOnlyDictionary<string, string?>? apiSettings = null,
        IReadOnlyDictionary<string, string?>? siloSettings = null)
    {
        var siloPort = Ports.Free();
        var gatewayPort = Ports.Free();
        var builder = SiloHost.CreateBuilder(new Dictionary<string, string?>
        {
            ["Silo:SiloPort"] = siloPort.ToString(CultureInfo.InvariantCulture),
            ["Silo:GatewayPort"] = gatewayPort.ToString(CultureInfo.InvariantCulture),
            ["Silo:ShutdownTimeout"] = "00:00:05",
            ["Urls"] = "http://127.0.0.1:0",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Orleans"] = "Error",
            ["Logging:LogLevel:Microsoft"] = "Warning",
        });
        if (siloSettings is not null)
        {
            builder.Configuration.AddInMemoryCollection(siloSettings);
        }

        builder.AddClinicSilo();
        var silo = builder.Build();
        await silo.StartAsync();

        // Created only after the silo is built, so the factory's host listener never sees the silo's host.
        var factory = new ApiFactory(gatewayPort, tokens, apiSettings);
        var cluster = new InProcessCluster(silo, factory, gatewayPort);
        try
        {
            using var http = factory.CreateDefaultClient();
            await Readiness.WaitAsync(http, new Uri("/health/ready", UriKind.Relative), TimeSpan.FromSeconds(30));
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }

        return cluster;
    }

    public async ValueTask DisposeAsync()
    {
        await _factory.DisposeAsync();
        await SiloHost.StopAsync(_silo);
    }

    /// <summary>The API host, pointed at the in-process silo's gateway and the test signing key.</summary>
    private sealed class ApiFactory(int gatewayPort, TestTokens tokens, IReadOnlyDictionary<string, string?>? settings)
        : WebApplicationFactory<ApiProgram>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            // Host settings reach Program as arguments, so they are visible while it configures services.
            builder.UseEnvironment("Development");
            builder.UseSetting("Cluster:GatewayPort", gatewayPort.ToString(CultureInfo.InvariantCulture));
            builder.UseSetting("Auth:DevSigningKey", tokens.SigningKey);
            builder.UseSetting("Auth:Audience", TestTokens.Audience);
            builder.UseSetting("Demo:Seed", "false");

            // Every test request comes from one in-memory client; the edge limits are tested in Security.Tests.
            builder.UseSetting("RateLimits:Enabled", "false");
            builder.UseSetting("Logging:LogLevel:Default", "Warning");
            builder.UseSetting("Logging:LogLevel:Orleans", "Error");
            foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            {
                builder.UseSetting(key, value);
            }
        }
    }
}
