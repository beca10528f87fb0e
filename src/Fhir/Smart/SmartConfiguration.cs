using System.Text.Json.Nodes;
using ClinicCluster.Fhir.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace ClinicCluster.Fhir.Smart;

/// <summary>
/// <c>[base]/.well-known/smart-configuration</c> (SMART App Launch 2.x), anonymous: only what is
/// real. Capabilities <c>permission-v2</c> and <c>permission-user</c> (no launch, no patient or
/// system scopes, no offline access of our own); <c>scopes_supported</c> is computed from the routes
/// that exist; the endpoints are the token authority's own (from its OpenID metadata), and absent
/// when tokens are development tokens, which no authorization server issues.
/// </summary>
public static class SmartConfiguration
{
    public const string Route = "/.well-known/smart-configuration";

    public static readonly string[] Capabilities = ["permission-v2", "permission-user"];

    public static void Map(RouteGroupBuilder fhir) =>
        fhir.MapGet(Route, DescribeAsync).WithName("FhirSmartConfiguration").AllowAnonymous();

    private static async Task<IResult> DescribeAsync(HttpContext http, ISmartAuthority authority, EndpointDataSource endpoints)
    {
        SmartAuthorityEndpoints? server;
        try
        {
            server = await authority.DescribeAsync(http.RequestAborted);
        }
        catch (Exception e) when (e is HttpRequestException or InvalidOperationException or TimeoutException)
        {
            // The authority's metadata is unreachable: say so rather than advertise nothing.
            return FhirOutcomes.Error(StatusCodes.Status503ServiceUnavailable);
        }

        var document = new JsonObject
        {
            ["capabilities"] = Array(Capabilities),
            ["scopes_supported"] = Array(ScopesOf(endpoints)),
            ["grant_types_supported"] = Array(server?.GrantTypes ?? []),
            ["code_challenge_methods_supported"] = Array(server?.CodeChallengeMethods ?? []),
        };
        if (server is not null)
        {
            document["issuer"] = server.Issuer;
            Add(document, "jwks_uri", server.JwksUri);
            Add(document, "authorization_endpoint", server.AuthorizationEndpoint);
            Add(document, "token_endpoint", server.TokenEndpoint);
        }

        return Results.Text(document.ToJsonString(), "application/json");
    }

    /// <summary>One v2 scope per resource type, with the interactions some route serves.</summary>
    public static IReadOnlyList<string> ScopesOf(EndpointDataSource endpoints) =>
        endpoints.Endpoints
            .Select(e => e.Metadata.GetMetadata<SmartScopeRequirement>())
            .OfType<SmartScopeRequirement>()
            .Where(r => r.ResourceType is not null)
            .GroupBy(r => r.ResourceType!, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => SmartScopes.Format(g.Key, g.Aggregate(SmartInteraction.None, (all, r) => all | r.Interaction)))
            .ToList();

    private static JsonArray Array(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode)v)]);

    private static void Add(JsonObject document, string name, string? value)
    {
        if (value is not null)
        {
            document[name] = value;
        }
    }
}
