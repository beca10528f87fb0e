namespace ClinicCluster.Fhir.Smart;

/// <summary>
/// The authorization server whose tokens the host accepts, as its own metadata describes it, for
/// <c>.well-known/smart-configuration</c>. The host implements it (it owns the token validation).
/// </summary>
public interface ISmartAuthority
{
    /// <summary>The authority's endpoints, or null when tokens come from no authorization server (development tokens).</summary>
    Task<SmartAuthorityEndpoints?> DescribeAsync(CancellationToken cancellationToken);
}

/// <summary>What an OpenID Connect authority publishes about itself (null: it does not say).</summary>
public sealed record SmartAuthorityEndpoints(
    string Issuer,
    string? JwksUri,
    string? AuthorizationEndpoint,
    string? TokenEndpoint,
    IReadOnlyList<string> GrantTypes,
    IReadOnlyList<string> CodeChallengeMethods);
