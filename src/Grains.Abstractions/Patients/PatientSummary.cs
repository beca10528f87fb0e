using ClinicCluster.Common;

namespace ClinicCluster.Patients;

/// <summary>A search hit: enough to pick the right patient from a list.</summary>
[GenerateSerializer, Immutable, Alias("cc.PatientSummary")]
public sealed record PatientSummary(
    [property: Id(0)] string Id,
    [property: Id(1)] string Mrn,
    [property: Id(2)] string GivenName,
    [property: Id(3)] string FamilyName,
    [property: Id(4)] DateOnly BirthDate)
{
    // As PatientDemographics: the id is opaque, the rest is PHI.
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append("Id = ").Append(Id).Append(", ").Append(PhiRedaction.Marker);
        return true;
    }
}
