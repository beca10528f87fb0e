extern alias silo;

using ClinicCluster.Api.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using silo::ClinicCluster.Silo.Hosting;

namespace ClinicCluster.Api.Tests;

/// <summary>
/// A real silo (memory storage, localhost clustering on free ports) started in this process, and the
/// API hosted in a <see cref="WebApplicationFactory{TEntryPoint}"/> as an Orleans client of it. Every
/// test works in its own randomly named clinic, so tests never see each other's data.
/// </summary>
public sealed class ApiFixture : IAsyncLifetime
{
    /// <summary>The development signing key the API under test validates tokens with.</summary>
    public const string SigningKey = "api-tests-signing-key-0123456789-abcdefghijklmnop";

    public const string Audience = "clinic-cluster-api";

    private WebApplication? _silo;
    private ApiFactory? _factory;
    private ApiClient? _api;

    public static AuthOptions AuthOptions { get; } = new() { DevSigningKey = SigningKey, Audience = Audience };

    /// <summary>An administrator of every clinic.</summary>
    public static string AdminToken { get; } = Token(Roles.Admin, "*");

    public WebApplicationFactory<Program> Factory => _factory ?? throw new InvalidOperationException("The API is not started.");

    public ApiClient Api => _api ?? throw new InvalidOperationException("The API is not started.");

    public int GatewayPort { get; private set; }

    /// <summary>The silo's services (its audit chain keys, for checking links).</summary>
    public IServiceProvider SiloServices => _silo?.Services ?? throw new InvalidOperationException("The silo is not started.");

    /// <summary>Grain access to the silo, for reading what the API wrote (the audit trail).</summary>
    public IGrainFactory Grains => _silo?.Services.GetRequiredService<IGrainFactory>()
        ?? throw new InvalidOperationException("The silo is not started.");

    /// <summary>A valid token for one role and the given clinics ("*" for all).</summary>
    public static string Token(string role, params string[] clinics) =>
        DevTokenIssuer.Issue(AuthOptions, "test-" + role, [role], clinics, DateTimeOffset.UtcNow);

    public async Task InitializeAsync()
    {
        var siloPort = Ports.Free();
        GatewayPort = Ports.Free();

        var builder = SiloHost.CreateBuilder(new Dictionary<string, string?>
        {
            ["Silo:SiloPort"] = siloPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Silo:GatewayPort"] = GatewayPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Silo:ShutdownTimeout"] = "00:00:05",
            ["Urls"] = "http://127.0.0.1:0",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Orleans"] = "Error",
            ["Logging:LogLevel:Microsoft"] = "Warning",
        });
        builder.AddClinicSilo();
        _silo = builder.Build();
        await _silo.StartAsync();

        // Created only after the silo is built, so the factory's host listener never sees the silo's host.
        _factory = new ApiFactory(GatewayPort);
        _api = new ApiClient(_factory.CreateDefaultClient());
        await Readiness.WaitAsync(Api.Http, new Uri("/health/ready", UriKind.Relative), TimeSpan.FromSeconds(30));
    }

    public async Task DisposeAsync()
    {
        _api?.Http.Dispose();
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }

        if (_silo is not null)
        {
            await SiloHost.StopAsync(_silo);
        }
    }

    /// <summary>The API host, pointed at the in-process silo's gateway and the test signing key.</summary>
    private sealed class ApiFactory(int gatewayPort) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            // Host settings reach Program as arguments, so they are visible while it configures services.
            builder.UseEnvironment("Development");
            builder.UseSetting("Cluster:GatewayPort", gatewayPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
            builder.UseSetting("Auth:DevSigningKey", SigningKey);
            builder.UseSetting("Auth:Audience", Audience);
            builder.UseSetting("Demo:Seed", "false");

            // Every test request comes from one in-memory client; the edge limits are tested in Security.Tests.
            builder.UseSetting("RateLimits:Enabled", "false");
            builder.UseSetting("Logging:LogLevel:Default", "Warning");
            builder.UseSetting("Logging:LogLevel:Orleans", "Error");
        }
    }
}

/// <summary>Every API test shares one silo and one API host and runs one after another.</summary>
[CollectionDefinition(Name)]
public sealed class ApiCollection : ICollectionFixture<ApiFixture>
{
    public const string Name = "API over a real silo";
}
