using System.Net;
using ClinicCluster.Api.Telemetry;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace ClinicCluster.Api.Edge;

/// <summary>
/// Kestrel's limits, set from <see cref="ConnectionLimitOptions"/> rather than left at framework
/// defaults, and the per-address connection cap on every listener (those from Urls included).
/// HTTP/1.1 only: TLS ends at the ingress, so HTTP/2 would be reachable here only as cleartext
/// prior-knowledge h2c, which no client of ours uses; turning it on means setting its stream limits first.
/// </summary>
public static class ConnectionLimitsExtensions
{
    public static WebApplicationBuilder AddConnectionLimits(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ConnectionLimitOptions>().BindConfiguration(ConnectionLimitOptions.SectionName)
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<KestrelServerOptions>().Configure<IOptions<ConnectionLimitOptions>, IOptions<ProxyOptions>, ApiMetrics>(
            (kestrel, settings, proxies, metrics) =>
            {
                var limits = settings.Value;
                kestrel.AddServerHeader = false;
                kestrel.Limits.MaxConcurrentConnections = limits.MaxConcurrentConnections;
                kestrel.Limits.MaxConcurrentUpgradedConnections = 0;
                kestrel.Limits.RequestHeadersTimeout = limits.RequestHeadersTimeout;
                kestrel.Limits.KeepAliveTimeout = limits.KeepAliveTimeout;
                kestrel.Limits.MinRequestBodyDataRate = new MinDataRate(limits.MinRequestBodyBytesPerSecond, limits.MinDataRateGracePeriod);
                kestrel.Limits.MinResponseDataRate = new MinDataRate(limits.MinResponseBytesPerSecond, limits.MinDataRateGracePeriod);

                var perAddress = new ConnectionsPerAddress(limits.MaxConnectionsPerAddress,
                    [.. proxies.Value.KnownNetworks.Select(n => IPNetwork.Parse(n))]);
                kestrel.ConfigureEndpointDefaults(listen =>
                {
                    listen.Protocols = HttpProtocols.Http1;
                    listen.Use(next => async connection =>
                    {
                        if (connection.RemoteEndPoint is not IPEndPoint remote)
                        {
                            await next(connection);
                            return;
                        }

                        if (!perAddress.TryOpen(remote.Address))
                        {
                            // Returning without the next delegate closes the connection unanswered:
                            // nothing is parsed or buffered for a client that already holds its share.
                            metrics.ConnectionRefused();
                            return;
                        }

                        try
                        {
                            await next(connection);
                        }
                        finally
                        {
                            perAddress.Close(remote.Address);
                        }
                    });
                });
            });
        return builder;
    }
}
