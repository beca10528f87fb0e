using System.ComponentModel.DataAnnotations;

namespace ClinicCluster.Api.Edge;

/// <summary>
/// What one client may hold of the server at the connection level (section "Connections"), so slow
/// or flooding clients cannot starve the others. docs/security.md lists each value and why;
/// decision 0026 explains the choices.
/// </summary>
public sealed class ConnectionLimitOptions
{
    public const string SectionName = "Connections";

    /// <summary>Open connections of the whole process (both listeners); beyond it Kestrel closes new ones at once.</summary>
    [Range(64, 100_000)]
    public int MaxConcurrentConnections { get; set; } = 4096;

    /// <summary>
    /// Open connections from one client address; beyond it a new connection is closed unanswered.
    /// Addresses in Proxy:KnownNetworks are exempt (every client behind the ingress shares them).
    /// </summary>
    [Range(1, 100_000)]
    public int MaxConnectionsPerAddress { get; set; } = 128;

    /// <summary>From a request's first byte to the end of its headers; a client trickling headers is cut off after it.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:02:00")]
    public TimeSpan RequestHeadersTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// An idle connection (before its first request or between requests) is closed after it.
    /// Longer than the ingress's upstream idle timeout (60 s for ingress-nginx), so the proxy closes first.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan KeepAliveTimeout { get; set; } = TimeSpan.FromSeconds(75);

    /// <summary>A request body arriving slower than this (after the grace period) ends the connection with 408.</summary>
    [Range(1, 1_000_000)]
    public double MinRequestBodyBytesPerSecond { get; set; } = 1024;

    /// <summary>A response read slower than this by the client (after the grace period) ends the connection.</summary>
    [Range(1, 1_000_000)]
    public double MinResponseBytesPerSecond { get; set; } = 240;

    /// <summary>How long a transfer may run below the minimum rates before they apply.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:01:00")]
    public TimeSpan MinDataRateGracePeriod { get; set; } = TimeSpan.FromSeconds(5);
}
