using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace ClinicCluster.Api.Cluster;

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

    /// <summary>
    /// How long a grain call may wait for its answer. Orleans' 30 s default is what a request in
    /// flight through a dead gateway waited; a few seconds, then a retry of a repeatable request
    /// on a live gateway, is a shorter tail (docs/reliability.md).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan ResponseTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How often the client reads the live gateways from the membership table (Orleans: 1 min).
    /// A gateway cut off the network drops no connection, so until this read the client keeps
    /// sending into it; the partition drill (scripts/drills/partition.sh) measured the gap.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan GatewayListRefreshPeriod { get; set; } = TimeSpan.FromSeconds(5);
}

public enum ClientClusteringMode
{
    Localhost,
    AdoNet,
}
