using System.ComponentModel.DataAnnotations;

namespace ClinicCluster.Api.Edge;

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
