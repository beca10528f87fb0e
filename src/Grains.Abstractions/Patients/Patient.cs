using System.Text.Json.Serialization;

namespace ClinicCluster.Patients;

/// <summary>
/// A registered patient of one clinic. <see cref="Version"/> counts the stored versions (1 when
/// registered, one more per update): FHIR's <c>meta.versionId</c> and ETag. Left out of the native JSON.
/// </summary>
[GenerateSerializer, Immutable, Alias("cc.Patient")]
public sealed record Patient(
    [property: Id(0)] string Id,
    [property: Id(1)] string ClinicId,
    [property: Id(2)] PatientDemographics Demographics,
    [property: Id(3)] DateTimeOffset CreatedAt,
    [property: Id(4)] DateTimeOffset UpdatedAt,
    [property: Id(5), JsonIgnore] long Version = 1);
