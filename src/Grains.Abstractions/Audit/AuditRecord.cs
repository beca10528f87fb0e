namespace ClinicCluster.Audit;

/// <summary>
/// An audit event as stored: its place in the clinic's chain, and the id of the chain key its HMAC
/// was computed with (null for a row written before the chain was keyed).
/// </summary>
[GenerateSerializer, Immutable, Alias("cc.AuditRecord")]
public sealed record AuditRecord(
    [property: Id(0)] long Sequence,
    [property: Id(1)] AuditEvent Event,
    [property: Id(2)] string PreviousHash,
    [property: Id(3)] string Hash,
    [property: Id(4)] string? ChainKeyId = null);
