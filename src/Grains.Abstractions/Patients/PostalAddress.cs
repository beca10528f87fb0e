using ClinicCluster.Common;

namespace ClinicCluster.Patients;

/// <summary>A patient's postal address (PHI).</summary>
[GenerateSerializer, Immutable, Alias("cc.PostalAddress")]
public sealed record PostalAddress(
    [property: Id(0)] string Line1,
    [property: Id(1)] string? Line2,
    [property: Id(2)] string City,
    [property: Id(3)] string? Region,
    [property: Id(4)] string PostalCode,
    [property: Id(5)] string Country)
{
    // As PatientDemographics: a log line that formats an address prints none of it.
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append(PhiRedaction.Marker);
        return true;
    }
}
