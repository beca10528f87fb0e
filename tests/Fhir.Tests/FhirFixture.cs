using ClinicCluster.Api.Auth;
using Hl7.Fhir.Rest;

namespace ClinicCluster.Fhir.Tests;

/// <summary>
/// The API over a real silo in this process (<see cref="InProcessCluster"/>), as tests/Api.Tests
/// runs them. Every client it makes validates each FHIR response body it receives
/// (<see cref="ValidatingHandler"/>).
/// </summary>
public sealed class FhirFixture : IAsyncLifetime
{
    public const string SigningKey = "fhir-tests-signing-key-0123456789-abcdefghijklmnop";
    public const string Audience = TestTokens.Audience;

    private InProcessCluster? _cluster;

    public static TestTokens Tokens { get; } = new(SigningKey, "fhir-test-");

    public static AuthOptions AuthOptions => Tokens.AuthOptions;

    public static string AdminToken { get; } = Token(Roles.Admin, "*");

    public IGrainFactory Grains => Cluster.Grains;

    private InProcessCluster Cluster => _cluster ?? throw new InvalidOperationException("The cluster is not started.");

    /// <summary>Every SMART interaction on every resource: the tests of an interaction then see the role alone (ScopeMatrixTests narrow it).</summary>
    public const string AllScopes = "user/*.cruds";

    /// <summary>A token for a role in the clinics, with <see cref="AllScopes"/>.</summary>
    public static string Token(string role, params string[] clinics) => Tokens.ScopedToken(role, [AllScopes], clinics);

    /// <summary>An HTTP client to the API whose FHIR responses are validated.</summary>
    public HttpClient Http(string? userAgent = null) =>
        Cluster.Factory.CreateDefaultClient(new ValidatingHandler(), new UserAgentHandler(userAgent));

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

    public async Task InitializeAsync() => _cluster = await InProcessCluster.StartAsync(Tokens);

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
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
