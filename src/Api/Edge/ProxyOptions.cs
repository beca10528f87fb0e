namespace ClinicCluster.Api.Edge;

/// <summary>
/// The proxies in front of the API (section "Proxy"), such as the ingress controller. Only a
/// request that arrives from one of these networks may say, in X-Forwarded-For and
/// X-Forwarded-Proto, who the client is and whether it used HTTPS; without them every caller
/// would share the proxy's address in the rate limits and the audit trail.
/// </summary>
public sealed class ProxyOptions
{
    public const string SectionName = "Proxy";

    /// <summary>CIDR networks of trusted proxies (10.0.0.0/8); none by default, so forwarded headers are ignored.</summary>
    public string[] KnownNetworks { get; set; } = [];
}
