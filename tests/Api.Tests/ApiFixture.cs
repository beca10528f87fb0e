using Microsoft.AspNetCore.Mvc.Testing;

namespace ClinicCluster.Api.Tests;

/// <summary>
/// The API over a real silo in this process (<see cref="InProcessCluster"/>), with the client of
/// <see cref="ApiClient"/>. Every test works in its own randomly named clinic, so tests never see
/// each other's data.
/// </summary>
public class ApiFixture : TokenSuite<ApiFixture>, ITokenSuite, IAsyncLifetime
{
    /// <summary>The development signing key the API under test validates tokens with.</summary>
    public const string SigningKey = "api-tests-signing-key-0123456789-abcdefghijklmnop";

    private InProcessCluster? _cluster;
    private ApiClient? _api;

    static string ITokenSuite.SigningKey => SigningKey;

    /// <summary>Subjects "test-" + role: the audit tests look for them.</summary>
    static string ITokenSuite.SubjectPrefix => "test-";

    public WebApplicationFactory<Program> Factory => Cluster.Factory;

    public ApiClient Api => _api ?? throw new InvalidOperationException("The API is not started.");

    public int GatewayPort => Cluster.GatewayPort;

    /// <summary>The silo's services (its audit chain keys, for checking links).</summary>
    public IServiceProvider SiloServices => Cluster.SiloServices;

    /// <summary>Grain access to the silo, for reading what the API wrote (the audit trail).</summary>
    public IGrainFactory Grains => Cluster.Grains;

    private InProcessCluster Cluster => _cluster ?? throw new InvalidOperationException("The cluster is not started.");

    /// <summary>Settings the silo starts with beside its own (a fixture of its own for a suite that needs them).</summary>
    protected virtual IReadOnlyDictionary<string, string?>? SiloSettings => null;

    public async Task InitializeAsync()
    {
        _cluster = await InProcessCluster.StartAsync(Tokens, siloSettings: SiloSettings);
        _api = new ApiClient(_cluster.Factory.CreateDefaultClient());
    }

    public async Task DisposeAsync()
    {
        _api?.Http.Dispose();
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }
}

/// <summary>
/// The API over a silo of its own whose checkout-hold minute lasts one second
/// (Scheduling:HoldMinute), for tests that watch holds expire in real time.
/// </summary>
public sealed class ShortHoldApiFixture : ApiFixture
{
    protected override IReadOnlyDictionary<string, string?>? SiloSettings { get; } =
        new Dictionary<string, string?> { ["Scheduling:HoldMinute"] = "00:00:01" };
}

/// <summary>Every API test shares one silo and one API host and runs one after another.</summary>
[CollectionDefinition(Name)]
public sealed class ApiCollection : ICollectionFixture<ApiFixture>
{
    public const string Name = "API over a real silo";
}
