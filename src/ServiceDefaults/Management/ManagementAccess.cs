using System.Security.Cryptography;
using System.Text;

namespace ClinicCluster.ServiceDefaults.Management;

/// <summary>
/// Who may read the management endpoints: the port they answer on, and the metrics bearer token.
/// Anonymous metrics only where the host declared itself the embedded default (one developer
/// machine, in-memory state); anywhere else, no token configured means no one can scrape.
/// </summary>
public sealed class ManagementAccess
{
    private readonly byte[]? _tokenHash;

    public ManagementAccess(int? port, string? metricsTokenFile, bool anonymousAllowed)
    {
        Port = port;
        AnonymousAllowed = anonymousAllowed;
        if (!string.IsNullOrWhiteSpace(metricsTokenFile))
        {
            _tokenHash = SHA256.HashData(Encoding.UTF8.GetBytes(File.ReadAllText(metricsTokenFile).Trim()));
        }
    }

    /// <summary>The management port; null when management shares the host's own listener.</summary>
    public int? Port { get; }

    /// <summary>True only in the embedded default: management endpoints need no credentials.</summary>
    public bool AnonymousAllowed { get; }

    /// <summary>Whether a metrics token is configured.</summary>
    public bool HasMetricsToken => _tokenHash is not null;

    /// <summary>Whether an Authorization header value grants the metrics scrape.</summary>
    public bool AllowsMetrics(string? authorization)
    {
        if (_tokenHash is null)
        {
            return AnonymousAllowed;
        }

        const string scheme = "Bearer ";
        if (authorization is null || !authorization.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        // Hashes compared in constant time: neither the token nor its length leaks through timing.
        var offered = SHA256.HashData(Encoding.UTF8.GetBytes(authorization[scheme.Length..].Trim()));
        return CryptographicOperations.FixedTimeEquals(offered, _tokenHash);
    }
}
