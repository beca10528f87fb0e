namespace ClinicCluster.Patients;

/// <summary>A registered patient of one clinic.</summary>
[GenerateSerializer, Immutable, Alias("cc.Patient")]
public sealed record Patient(
    [property: Id(0)] string Id,
    [property: Id(1)] string ClinicId,
    [property: Id(2)] PatientDemographics Demographics,
    [property: Id(3)] DateTimeOffset CreatedAt,
    [property: Id(4)] DateTimeOffset UpdatedAt);
