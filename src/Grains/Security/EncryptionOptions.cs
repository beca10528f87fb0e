namespace ClinicCluster.Security;

/// <summary>PHI field encryption (section "Encryption").</summary>
public sealed class EncryptionOptions
{
    public const string SectionName = "Encryption";

    /// <summary>
    /// The JSON key ring (mounted from a Secret): KEKs by id, the active one, and the blind-index
    /// key. Required with durable storage; without it, the in-memory mode uses a random ring that
    /// dies with the process (and so does its data).
    /// </summary>
    public string? KeyRingFile { get; set; }
}
