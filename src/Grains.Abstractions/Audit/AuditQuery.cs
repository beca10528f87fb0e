namespace ClinicCluster.Audit;

/// <summary>
/// A page of a clinic's audit trail: optionally one patient or one actor, a time range, and the
/// sequence number after which to continue (keyset paging, stable while events are appended).
/// </summary>
[GenerateSerializer, Immutable, Alias("cc.AuditQuery")]
public sealed record AuditQuery(
    [property: Id(0)] string? PatientId,
    [property: Id(1)] string? ActorSubject,
    [property: Id(2)] DateTimeOffset? From,
    [property: Id(3)] DateTimeOffset? To,
    [property: Id(4)] long AfterSequence,
    [property: Id(5)] int Limit);
