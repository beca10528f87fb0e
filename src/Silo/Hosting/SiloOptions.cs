using System.ComponentModel.DataAnnotations;
using System.Net;

namespace ClinicCluster.Silo.Hosting;

/// <summary>How the silo joins a cluster and where it keeps state (section "Silo").</summary>
public sealed class SiloOptions : IValidatableObject
{
    public const string SectionName = "Silo";

    /// <summary>Localhost (one machine, development) or AdoNet (membership in PostgreSQL, section "Postgres").</summary>
    public ClusteringMode Clustering { get; set; } = ClusteringMode.Localhost;

    /// <summary>Memory (lost on restart, development) or Postgres (grain state and reminders, section "Postgres").</summary>
    public StorageMode Storage { get; set; } = StorageMode.Memory;

    /// <summary>Silos with the same cluster id form one cluster; a new id per deployment is allowed.</summary>
    [Required, RegularExpression("^[A-Za-z0-9._-]{1,64}$")]
    public string ClusterId { get; set; } = "clinic-cluster-dev";

    /// <summary>Stable across deployments: grain state and reminders are keyed by it.</summary>
    [Required, RegularExpression("^[A-Za-z0-9._-]{1,64}$")]
    public string ServiceId { get; set; } = "clinic-cluster";

    /// <summary>Silo-to-silo port.</summary>
    [Range(1, 65535)]
    public int SiloPort { get; set; } = 11111;

    /// <summary>Port that clients (the API) connect to.</summary>
    [Range(1, 65535)]
    public int GatewayPort { get; set; } = 30000;

    /// <summary>
    /// The address other silos and clients reach this silo at, with AdoNet clustering. Unset: the
    /// pod's IP (POD_IP) in Kubernetes, else 127.0.0.1 (every silo on one machine). The silo always
    /// listens on all addresses.
    /// </summary>
    public string? AdvertisedIPAddress { get; set; }

    /// <summary>How long a stopping silo may take to hand off its grains before it is killed.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a grain call between silos may wait for its answer (Orleans' default is 30 s): a
    /// call to a silo that died fails after this and is retried on the survivor's activation.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan ResponseTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long opening a TCP connection to another silo may take before it counts as failed
    /// (Orleans: 5 s). In Docker and Kubernetes a dead pod's address answers nothing (no RST), so
    /// connecting to it hangs for all of this: messages to the dead silo, membership probes among
    /// them, wait on it. A connect within the cluster's network takes milliseconds; 1 s also
    /// survives one lost SYN. Covers the TCP connect only: the TLS handshake is not in it
    /// (decision 0047).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:00:30")]
    public TimeSpan OpenConnectionTimeout { get; set; } = TimeSpan.FromSeconds(1);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrWhiteSpace(AdvertisedIPAddress) && !IPAddress.TryParse(AdvertisedIPAddress, out _))
        {
            yield return new ValidationResult("is not an IP address.", [nameof(AdvertisedIPAddress)]);
        }
    }
}

public enum ClusteringMode
{
    Localhost,
    AdoNet,
}

public enum StorageMode
{
    Memory,
    Postgres,
}
