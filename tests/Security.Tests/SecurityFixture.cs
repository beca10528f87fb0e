extern alias api;

using System.Globalization;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using ApiProgram = api::Program;

namespace ClinicCluster.Security.Tests;

/// <summary>
/// The PostgreSQL mode as production runs it: a migrated throwaway database, a real silo on it
/// (AdoNet clustering, PostgreSQL storage, durable audit stream) and the API on real Kestrel as an
/// Orleans client that finds the gateway in the membership table.
/// </summary>
public sealed class SecurityFixture : TokenSuite<SecurityFixture>, ITokenSuite, IAsyncLifetime
{
    public const string SigningKey = "security-tests-signing-key-0123456789-abcdefghijklmnop";

    private SiloHost? _silo;
    private ApiFactory? _factory;

    static string ITokenSuite.SigningKey => SigningKey;

    /// <summary>Subjects "security-" + role.</summary>
    static string ITokenSuite.SubjectPrefix => "security-";

    public TestDatabase Database { get; } = new();

    /// <summary>The cluster CA and the silo's and API's certificates: both hosts run with mutual TLS.</summary>
    public TestCertificates Certificates { get; } = new();

    /// <summary>An HTTP client of the API over a real socket.</summary>
    public HttpClient Http { get; private set; } = null!;

    public Uri BaseAddress { get; private set; } = null!;

    internal SiloHost Silo => _silo ?? throw new InvalidOperationException("The silo is not started.");

    public async Task InitializeAsync()
    {
        await Database.InitializeAsync();
        await Database.MigrateAsync();
        // Both hosts reach PostgreSQL over TLS with the server's certificate verified,
        // and the cluster's own connections use mutual TLS.
        var silo = TestCertificates.Settings(Certificates.Silo);
        silo["Postgres:SslMode"] = "VerifyFull";
        silo["Postgres:RootCertificateFile"] = Database.CaFile;
        _silo = await SiloHost.StartAsync(Database.App, silo);

        var port = Ports.Free();
        _factory = new ApiFactory(Database.App, Database.CaFile, Certificates.Api);
        _factory.UseKestrel(port);
        _factory.StartServer();
        BaseAddress = new Uri($"http://127.0.0.1:{port}");
        Http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        await Readiness.WaitAsync(Http, new Uri("/health/ready", UriKind.Relative), TimeSpan.FromSeconds(60));
    }

    public async Task DisposeAsync()
    {
        Http?.Dispose();
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }

        if (_silo is not null)
        {
            await _silo.DisposeAsync();
        }

        await Database.DisposeAsync();
        Certificates.Dispose();
    }

    /// <summary>The API host on the test database, with the test signing key.</summary>
    internal class ApiFactory(string connectionString, string caFile, Pem certificate) : WebApplicationFactory<ApiProgram>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Development");
            builder.UseSetting("Cluster:Clustering", "AdoNet");
            builder.UseSetting("Postgres:ConnectionString", connectionString);
            builder.UseSetting("Postgres:SslMode", "VerifyFull");
            builder.UseSetting("Postgres:RootCertificateFile", caFile);
            foreach (var (key, value) in TestCertificates.Settings(certificate))
            {
                builder.UseSetting(key, value);
            }

            builder.UseSetting("Auth:DevSigningKey", SigningKey);
            builder.UseSetting("Auth:Audience", Audience);
            builder.UseSetting("Demo:Seed", "false");

            // One address sends every request of the suites; the rate-limit tests start their own API.
            builder.UseSetting("RateLimits:PerCallerPermits", "1000000");
            builder.UseSetting("RateLimits:PerAddressPermits", "1000000");
            builder.UseSetting("RateLimits:AnonymousPerAddressPermits", "1000000");
            builder.UseSetting("Audit:Denials:Window", "00:00:02");
            builder.UseSetting("Logging:LogLevel:Default", "Warning");
            builder.UseSetting("Logging:LogLevel:Orleans", "Error");
            builder.UseSetting("Logging:LogLevel:Microsoft.AspNetCore", "Error");
            builder.UseSetting("Urls", "http://127.0.0.1:" + Ports.Free().ToString(CultureInfo.InvariantCulture));
        }
    }
}

/// <summary>The suites share one database, silo and API host and run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class SecurityCollection : ICollectionFixture<SecurityFixture>
{
    public const string Name = "Security over the PostgreSQL mode";
}
