using System.Net;
using System.Net.Sockets;

namespace ClinicCluster.Cluster.Tests.Infrastructure;

/// <summary>Free loopback ports, never the same one twice in a run.</summary>
public static class Ports
{
    private static readonly HashSet<int> Handed = [];
    private static readonly Lock Sync = new();

    public static int Free()
    {
        lock (Sync)
        {
            for (var attempt = 0; attempt < 100; attempt++)
            {
                using var listener = new TcpListener(IPAddress.Loopback, 0);
                listener.Start();
                var port = ((IPEndPoint)listener.LocalEndpoint).Port;
                listener.Stop();
                if (Handed.Add(port))
                {
                    return port;
                }
            }

            throw new InvalidOperationException("No free loopback port found.");
        }
    }
}
