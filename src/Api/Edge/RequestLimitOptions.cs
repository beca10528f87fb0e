using System.ComponentModel.DataAnnotations;

namespace ClinicCluster.Api.Edge;

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
