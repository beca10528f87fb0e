namespace ClinicCluster.Audit;

/// <summary>The keyed audit chain and its checkpoints (section "Audit").</summary>
public sealed class AuditChainOptions
{
    public const string SectionName = "Audit";
    public const string ChainKeySetting = "Audit:ChainKeyFile";

    /// <summary>The chain key ring (JSON, as for <c>Encryption:KeyRingFile</c> but without an index key). Required with durable storage.</summary>
    public string? ChainKeyFile { get; set; }

    /// <summary>Where signed checkpoints of each clinic's chain head are written: outside the database (a volume or a synced bucket).</summary>
    public string? CheckpointDirectory { get; set; }

    /// <summary>How often the silo writes checkpoints.</summary>
    public TimeSpan CheckpointInterval { get; set; } = TimeSpan.FromMinutes(5);
}
