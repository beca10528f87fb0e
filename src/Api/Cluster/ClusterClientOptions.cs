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
    /// How long one attempt of a grain call may wait for its answer (Orleans: 30 s). A call in
    /// flight through a gateway that died is never answered: it fails after this, and the API
    /// retries a repeatable request on a live gateway within ClusterRetry:MaxElapsed, so a request
    /// takes at most MaxElapsed + this (2.5 s + 2 s by default; decision 0038, docs/reliability.md).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan ResponseTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How often the client reads the live gateways from the membership table (Orleans: 1 min).
    /// A gateway cut off the network drops no connection, so until this read the client keeps
    /// sending into it; the partition drill (scripts/drills/partition.sh) measured the gap. One
    /// indexed read per API process per period.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan GatewayListRefreshPeriod { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long opening a TCP connection to a gateway may take before it counts as failed
    /// (Orleans: 5 s). A killed pod's address answers nothing in Docker and Kubernetes (no RST),
    /// so the client's reconnect to the dead gateway hangs for all of this; only when it fails is
    /// the gateway set aside and the calls queued on it refused, which lets the retry go to a live
    /// one. 1 s also survives one lost SYN; the TLS handshake is not in it (decision 0047).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:00:30")]
    public TimeSpan OpenConnectionTimeout { get; set; } = TimeSpan.FromSeconds(1);
}

public enum ClientClusteringMode
{
    Localhost,
    AdoNet,
}
