namespace ClinicCluster.Audit;

/// <summary>An audit event as stored: its place in the clinic's hash chain.</summary>
[GenerateSerializer, Immutable, Alias("cc.AuditRecord")]
public sealed record AuditRecord(
    [property: Id(0)] long Sequence,
    [property: Id(1)] AuditEvent Event,
    [property: Id(2)] string PreviousHash,
    [property: Id(3)] string Hash);
