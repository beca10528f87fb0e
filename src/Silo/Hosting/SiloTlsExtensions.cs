using ClinicCluster.ServiceDefaults;

namespace ClinicCluster.Silo.Hosting;

/// <summary>Mutual TLS on the silo and gateway ports (docs/security.md).</summary>
internal static class SiloTlsExtensions
{
    /// <summary>Loaded now so a bad certificate stops the host in one line; null where the cluster runs without TLS.</summary>
    public static ClusterTls? AddSiloClusterTls(this WebApplicationBuilder builder, SiloOptions options)
    {
        var clusterTls = ClusterTls.Load(builder.Configuration, reachableFromOtherMachines: options.Clustering != ClusteringMode.Localhost);
        if (clusterTls is not null)
        {
            // Renewed certificates and a rolled CA are picked up without a restart (decision record 0029).
            builder.Services.AddClusterTlsReload(clusterTls);
        }

        return clusterTls;
    }

    public static ISiloBuilder UseClusterTls(this ISiloBuilder silo, ClusterTls? clusterTls)
    {
        if (clusterTls is not null)
        {
            silo.UseTls(clusterTls.Configure);
        }

        return silo;
    }
}
