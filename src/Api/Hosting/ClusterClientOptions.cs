using System.ComponentModel.DataAnnotations;

namespace ClinicCluster.Api.Hosting;

/// <summary>How the API finds the silos it is a client of (section "Cluster").</summary>
public sealed class ClusterClientOptions
{
    public const string SectionName = "Cluster";

    /// <summary>Localhost (silo gateway on this machine) or AdoNet (gateways listed in PostgreSQL).</summary>
    public ClientClusteringMode Clustering { get; set; } = ClientClusteringMode.Localhost;

    [Required, RegularExpression("^[A-Za-z0-9._-]{1,64}$")]
    public string ClusterId { get; set; } = "clinic-cluster-dev";

    [Required, RegularExpression("^[A-Za-z0-9._-]{1,64}$")]
    public string ServiceId { get; set; } = "clinic-cluster";

    /// <summary>With Localhost clustering: the silo's gateway port.</summary>
    [Range(1, 65535)]
    public int GatewayPort { get; set; } = 30000;
}

public enum ClientClusteringMode
{
    Localhost,
    AdoNet,
}
