extern alias api;

using AuthOptions = api::ClinicCluster.Api.Auth.AuthOptions;
using DevTokenIssuer = api::ClinicCluster.Api.Auth.DevTokenIssuer;

namespace ClinicCluster.Testing;

/// <summary>
/// Development tokens of one suite: the signing key its API is started with, the audience, and
/// tokens for a role and clinics. Each suite keeps its own key and subject prefix (Api.Tests finds
/// its audit events by the "test-" subjects).
/// </summary>
public sealed class TestTokens(string signingKey, string subjectPrefix)
{
    public const string Audience = "clinic-cluster-api";

    public string SigningKey { get; } = signingKey;

    public AuthOptions AuthOptions { get; } = new() { DevSigningKey = signingKey, Audience = Audience };

    /// <summary>A valid token for one role and the given clinics ("*" for all), subject prefix + role.</summary>
    public string Token(string role, params string[] clinics) =>
        DevTokenIssuer.Issue(AuthOptions, subjectPrefix + role, [role], clinics, DateTimeOffset.UtcNow);

    /// <summary>As <see cref="Token"/>, with a <c>scope</c> claim holding the scopes given (the FHIR routes need SMART scopes).</summary>
    public string ScopedToken(string role, IEnumerable<string> scopes, params string[] clinics) =>
        DevTokenIssuer.Issue(AuthOptions, subjectPrefix + role, [role], clinics, DateTimeOffset.UtcNow, scopes);
}
