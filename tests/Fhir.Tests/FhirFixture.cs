extern alias silo;

using System.Net;
using System.Net.Sockets;
using ClinicCluster.Api.Auth;
using Hl7.Fhir.Rest;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using silo::ClinicCluster.Silo.Hosting;

namespace ClinicCluster.Fhir.Tests;

/// <summary>
/// A real silo (memory storage, localhost clustering on free ports) in this process and the API in
/// a <see cref="WebApplicationFactory{TEntryPoint}"/> as its Orleans client, as tests/Api.Tests
/// runs them (the minimum of its fixture, until the shared test support project holds it). Every
/// client it makes validates each FHIR response body it receives (<see cref="ValidatingHandler"/>).
/// </summary>
public sealed class FhirFixture : IAsyncLifetime
{
    public const string SigningKey = "fhir-tests-signing-key-0123456789-abcdefghijklmnop";
    public const string Audience = "clinic-cluster-api";

    private WebApplication? _silo;
    private ApiFactory? _factory;

    public static AuthOptions AuthOptions { get; } = new() { DevSigningKey = SigningKey, Audience = Audience };

    public static string AdminToken { get; } = Token(Roles.Admin, "*");

    public IGrainFactory Grains => _silo?.Services.GetRequiredService<IGrainFactory>() ?? throw new InvalidOperationException("The silo is not started.");

    public static string Token(string role, params string[] clinics) =>
        DevTokenIssuer.Issue(AuthOptions, "fhir-test-" + role, [role], clinics, DateTimeOffset.UtcNow);

    /// <summary>An HTTP client to the API whose FHIR responses are validated.</summary>
    public HttpClient Http(string? userAgent = null) =>
        (_factory ?? throw new InvalidOperationException("The API is not started.")).CreateDefaultClient(new ValidatingHandler(), new UserAgentHandler(userAgent));

    /// <summary>A Firely client on one clinic's base, with a bearer token, JSON, and the FHIR version checked against the CapabilityStatement.</summary>
    public FhirClient Client(string clinicId, string? token, string? userAgent = null)
    {
        var http = Http(userAgent);
        if (token is not null)
        {
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        }

        return new FhirClient(new Uri(http.BaseAddress!, $"/fhir/clinics/{clinicId}"), http, new FhirClientSettings
        {
            PreferredFormat = ResourceFormat.Json,
            VerifyFhirVersion = true,
        });
    }

    public async Task InitializeAsync()
    {
        var siloPort = FreePort();
        var gatewayPort = FreePort();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development", ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Silo:SiloPort"] = siloPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Silo:GatewayPort"] = gatewayPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Silo:ShutdownTimeout"] = "00:00:05",
            ["Urls"] = "http://127.0.0.1:0",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Orleans"] = "Error",
            ["Logging:LogLevel:Microsoft"] = "Warning",
        });
        builder.AddClinicSilo();
        _silo = builder.Build();
        await _silo.StartAsync();
        _factory = new ApiFactory(gatewayPort);
        using var http = Http();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while ((await http.GetAsync(new Uri("/health/ready", UriKind.Relative))).StatusCode != HttpStatusCode.OK)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException("The API did not become ready.");
            }

            await Task.Delay(200);
        }
    }

    public async Task DisposeAsync()
    {
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }

        if (_silo is not null)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            try
            {
                await _silo.StopAsync(timeout.Token);
            }
            finally
            {
                await _silo.DisposeAsync();
            }
        }
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        finally
        {
            listener.Stop();
        }
    }

    private sealed class ApiFactory(int gatewayPort) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Development");
            builder.UseSetting("Cluster:GatewayPort", gatewayPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
            builder.UseSetting("Auth:DevSigningKey", SigningKey);
            builder.UseSetting("Auth:Audience", Audience);
            builder.UseSetting("Demo:Seed", "false");
            builder.UseSetting("RateLimits:Enabled", "false");
            builder.UseSetting("Logging:LogLevel:Default", "Warning");
            builder.UseSetting("Logging:LogLevel:Orleans", "Error");
        }
    }
}

/// <summary>Marks a test's requests with its own User-Agent (the FhirClient sets one of its own), to find their audit events.</summary>
internal sealed class UserAgentHandler(string? userAgent) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (userAgent is not null)
        {
            request.Headers.UserAgent.Clear();
            request.Headers.UserAgent.ParseAdd(userAgent);
        }

        return base.SendAsync(request, cancellationToken);
    }
}

/// <summary>Every FHIR test shares one silo and one API host.</summary>
[CollectionDefinition(Name)]
public sealed class FhirCollection : ICollectionFixture<FhirFixture>
{
    public const string Name = "FHIR over a real silo";
}
