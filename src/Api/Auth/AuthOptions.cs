namespace ClinicCluster.Api.Auth;

/// <summary>How bearer tokens are validated (section "Auth").</summary>
public sealed class AuthOptions
{
    public const string SectionName = "Auth";

    /// <summary>The issuer of development tokens.</summary>
    public const string DevIssuer = "clinic-cluster-dev";

    /// <summary>The only algorithm development tokens are signed and accepted with.</summary>
    public const string DevAlgorithm = "HS256";

    /// <summary>The largest clock skew accepted; beyond it an expired token would live on noticeably.</summary>
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromMinutes(5);

    /// <summary>Production: the OpenID Connect authority whose signing keys validate tokens.</summary>
    public string? Authority { get; set; }

    /// <summary>The audience tokens must be issued for.</summary>
    public string Audience { get; set; } = "clinic-cluster-api";

    /// <summary>
    /// Development only: a symmetric key (32+ characters) for tokens printed by <c>dev-token</c>.
    /// Refused outside the Development environment. Never in a file that is published: it comes
    /// from user secrets (scripts/run-local.sh creates one) or the environment (Auth__DevSigningKey).
    /// </summary>
    public string? DevSigningKey { get; set; }

    /// <summary>How long printed development tokens live.</summary>
    public TimeSpan DevTokenLifetime { get; set; } = TimeSpan.FromHours(8);

    /// <summary>With <see cref="Authority"/>: the asymmetric algorithms its tokens may be signed with.</summary>
    public string[] Algorithms { get; set; } = ["RS256", "PS256", "ES256"];

    /// <summary>Accepted values of the token's "typ" header: access tokens (RFC 9068) and plain JWTs.</summary>
    public string[] TokenTypes { get; set; } = ["JWT", "at+jwt"];

    /// <summary>Tolerance for clocks that disagree when checking "exp" and "nbf"; at most five minutes.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest a validated token is remembered (<see cref="CachingTokenHandler"/>); zero validates every request.</summary>
    public TimeSpan TokenCacheDuration { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The most validated tokens remembered at once (distinct clients in the last minute).</summary>
    public int TokenCacheSize { get; set; } = 10_000;

    /// <summary>The longest <see cref="TokenCacheDuration"/> accepted: a withdrawn signing key is honoured for at most this long.</summary>
    public static readonly TimeSpan MaxTokenCacheDuration = TimeSpan.FromMinutes(5);
}
