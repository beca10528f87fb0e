namespace ClinicCluster.Api.Auth;

/// <summary>How bearer tokens are validated (section "Auth").</summary>
public sealed class AuthOptions
{
    public const string SectionName = "Auth";

    /// <summary>The issuer of development tokens.</summary>
    public const string DevIssuer = "clinic-cluster-dev";

    /// <summary>Production: the OpenID Connect authority whose signing keys validate tokens.</summary>
    public string? Authority { get; set; }

    /// <summary>The audience tokens must be issued for.</summary>
    public string Audience { get; set; } = "clinic-cluster-api";

    /// <summary>
    /// Development only: a symmetric key (32+ characters) for tokens printed by <c>dev-token</c>.
    /// Refused outside the Development environment.
    /// </summary>
    public string? DevSigningKey { get; set; }

    /// <summary>How long printed development tokens live.</summary>
    public TimeSpan DevTokenLifetime { get; set; } = TimeSpan.FromHours(8);
}
