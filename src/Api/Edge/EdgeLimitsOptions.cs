using System.ComponentModel.DataAnnotations;

namespace ClinicCluster.Api.Edge;

/// <summary>Rate limits at the edge (section "RateLimits"): fixed windows per caller and per client address.</summary>
public sealed class RateLimitOptions
{
    public const string SectionName = "RateLimits";

    public bool Enabled { get; set; } = true;

    /// <summary>Requests one authenticated caller (token subject) may make per window.</summary>
    [Range(1, 1_000_000)]
    public int PerCallerPermits { get; set; } = 600;

    /// <summary>Requests one client address may make per window, whoever it claims to be.</summary>
    [Range(1, 1_000_000)]
    public int PerAddressPermits { get; set; } = 1200;

    /// <summary>Requests without a valid token one client address may make per window: far fewer.</summary>
    [Range(1, 1_000_000)]
    public int AnonymousPerAddressPermits { get; set; } = 60;

    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>Request size limits (section "RequestLimits"); routes may declare a different body limit.</summary>
public sealed class RequestLimitOptions
{
    public const string SectionName = "RequestLimits";

    /// <summary>The body limit of a route that declares none: every JSON body here is small.</summary>
    [Range(1024, 10 * 1024 * 1024)]
    public long MaxBodyBytes { get; set; } = 64 * 1024;

    /// <summary>The body limit of routes that carry lists (clinic settings, a provider's hours and time off).</summary>
    [Range(1024, 10 * 1024 * 1024)]
    public long MaxLargeBodyBytes { get; set; } = 256 * 1024;

    /// <summary>All request header names and values together; beyond it 431.</summary>
    [Range(1024, 64 * 1024)]
    public int MaxHeaderBytes { get; set; } = 16 * 1024;

    /// <summary>The number of request headers; beyond it 431.</summary>
    [Range(1, 1000)]
    public int MaxHeaderCount { get; set; } = 64;
}

/// <summary>Cross-origin access (section "Cors"): none unless origins are listed.</summary>
public sealed class CorsOptions
{
    public const string SectionName = "Cors";

    /// <summary>Exact origins (https://app.example.org) allowed to call the API from a browser.</summary>
    public string[] AllowedOrigins { get; set; } = [];
}

/// <summary>HTTPS outside Development (section "Https"): redirection and HTTP Strict Transport Security.</summary>
public sealed class HttpsSettings
{
    public const string SectionName = "Https";

    /// <summary>
    /// Redirect plain HTTP to HTTPS. Turn off only where a proxy in front enforces HTTPS and
    /// forwards plain HTTP (otherwise every request would be redirected in a loop).
    /// </summary>
    public bool Redirect { get; set; } = true;

    [Range(typeof(TimeSpan), "00:05:00", "730.00:00:00")]
    public TimeSpan HstsMaxAge { get; set; } = TimeSpan.FromDays(365);

    public bool HstsIncludeSubDomains { get; set; } = true;
}

/// <summary>A route's own request body limit, in bytes.</summary>
public sealed record BodyLimit(long Bytes);

/// <summary>Marks a route that accepts <see cref="RequestLimitOptions.MaxLargeBodyBytes"/>.</summary>
public sealed record LargeBody;
