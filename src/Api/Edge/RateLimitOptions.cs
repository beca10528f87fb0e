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
