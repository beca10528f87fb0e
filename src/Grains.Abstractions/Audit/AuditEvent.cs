namespace ClinicCluster.Audit;

/// <summary>
/// One access to protected health information, aligned with FHIR R4 AuditEvent. It names the
/// patient and the resource by id only: no names, birth dates, reasons or search text, ever. A
/// search or list that returned patients names each of them in <see cref="DisclosedPatientIds"/>
/// (at most <see cref="MaxDisclosedPatients"/> per event), so every patient's accounting of
/// disclosures includes it.
/// </summary>
[GenerateSerializer, Immutable, Alias("cc.AuditEvent")]
public sealed record AuditEvent(
    [property: Id(0)] Guid EventId,
    [property: Id(1)] DateTimeOffset RecordedAt,
    [property: Id(2)] string ClinicId,
    [property: Id(3)] AuditAction Action,
    [property: Id(4)] AuditOutcome Outcome,
    [property: Id(5)] AuditActor Actor,
    [property: Id(6)] string? PatientId,
    [property: Id(7)] string ResourceType,
    [property: Id(8)] string? ResourceId,
    [property: Id(9)] string Operation,
    [property: Id(10)] int HttpStatus,
    [property: Id(11)] string? PurposeOfUse,
    [property: Id(12)] string? CorrelationId,
    [property: Id(13)] string? QueryKind,
    [property: Id(14)] int? ResultCount,
    [property: Id(15)] IReadOnlyList<string>? DisclosedPatientIds = null)
{
    /// <summary>The bound on <see cref="DisclosedPatientIds"/>: the largest page a search or list returns.</summary>
    public const int MaxDisclosedPatients = 200;
}
