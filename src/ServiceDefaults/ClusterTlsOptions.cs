namespace ClinicCluster.ServiceDefaults;

/// <summary>
/// Mutual TLS inside the cluster (section "ClusterTls"), one type for both hosts: silo-to-silo and
/// gateway connections on the silo, the gateway connection on the API. PEM files as cert-manager
/// or a Secret mounts them (tls.crt, tls.key, ca.crt). A peer is trusted when its certificate
/// chains to <see cref="CaFile"/>; the machine's certificate store plays no part.
/// </summary>
public sealed class ClusterTlsOptions
{
    public const string SectionName = "ClusterTls";

    /// <summary>
    /// Unset: on whenever the cluster is reachable from other machines (AdoNet clustering), off
    /// for the embedded default (Localhost clustering). Set false to run a real cluster without
    /// TLS, which must be a deliberate choice.
    /// </summary>
    public bool? Enabled { get; set; }

    /// <summary>This host's certificate (PEM, may carry the chain); usable for both server and client authentication.</summary>
    public string? CertificateFile { get; set; }

    /// <summary>The certificate's private key (PEM).</summary>
    public string? KeyFile { get; set; }

    /// <summary>The CA (PEM, one or more certificates) that every cluster member's certificate chains to.</summary>
    public string? CaFile { get; set; }

    /// <summary>How long a TLS handshake may take before the connection is dropped.</summary>
    public TimeSpan HandshakeTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How often the three files are re-read. A renewed certificate or a rolled CA bundle is used
    /// by the next handshake after this, no restart needed; the kubelet itself takes up to about a
    /// minute to project an updated Secret, so the CA-roll steps wait for both (docs/runbooks/certificate-rotation.md).
    /// </summary>
    public TimeSpan ReloadInterval { get; set; } = TimeSpan.FromSeconds(30);
}
