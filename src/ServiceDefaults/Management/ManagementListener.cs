using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;

namespace ClinicCluster.ServiceDefaults.Management;

/// <summary>
/// Adds the management listener to the host's own addresses. Kestrel endpoints configured in code
/// would silently replace Urls / ASPNETCORE_HTTP_PORTS, so the full address list is rebuilt here
/// from the same settings, in the order ASP.NET Core reads them, and given back as Urls.
/// </summary>
internal static class ManagementListener
{
    private const string AspNetCoreDefaultUrl = "http://localhost:5000";

    /// <summary>
    /// The management port in effect: Management:Port, else <paramref name="defaultPort"/> when the
    /// host has no listener of its own configured (the silo: 8081), else none (shared listener).
    /// </summary>
    public static int? Configure(WebApplicationBuilder builder, ManagementOptions options, int? defaultPort, bool hasPublicTraffic)
    {
        var own = OwnAddresses(builder.Configuration);
        var port = options.Port ?? (own.Count == 0 ? defaultPort : null);
        if (port is null)
        {
            return null;
        }

        if (own.Count == 0 && hasPublicTraffic)
        {
            own.Add(AspNetCoreDefaultUrl);
        }

        own.Add(options.Url(port.Value));
        builder.WebHost.UseUrls([.. own]);
        return port;
    }

    private static List<string> OwnAddresses(IConfiguration configuration)
    {
        static string[] Split(string? value) =>
            value?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];

        var urls = Split(configuration[WebHostDefaults.ServerUrlsKey]);
        if (urls.Length > 0)
        {
            return [.. urls];
        }

        return [.. Split(configuration[WebHostDefaults.HttpPortsKey]).Select(p => $"http://*:{p}")
            .Concat(Split(configuration[WebHostDefaults.HttpsPortsKey]).Select(p => $"https://*:{p}"))];
    }
}
