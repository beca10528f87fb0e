namespace ClinicCluster.Audit;

/// <summary>Who acted, and from where. Subject is null when no valid token was presented.</summary>
[GenerateSerializer, Immutable, Alias("cc.AuditActor")]
public sealed record AuditActor(
    [property: Id(0)] string? Subject,
    [property: Id(1)] string? Role,
    [property: Id(2)] string? ClientAddress,
    [property: Id(3)] string? UserAgent);
