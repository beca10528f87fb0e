using ClinicCluster.Common;

namespace ClinicCluster.Patients;

/// <summary>
/// A patient's identifying details. Every member is protected health information: none may be
/// logged, traced, put in a metric label or in an error message.
/// </summary>
[GenerateSerializer, Immutable, Alias("cc.PatientDemographics")]
public sealed record PatientDemographics(
    [property: Id(0)] string Mrn,
    [property: Id(1)] string GivenName,
    [property: Id(2)] string FamilyName,
    [property: Id(3)] DateOnly BirthDate,
    [property: Id(4)] AdministrativeSex Sex,
    [property: Id(5)] string? Phone = null,
    [property: Id(6)] string? Email = null,
    [property: Id(7)] PostalAddress? Address = null)
{
    // Orleans logs a dropped or expired message with its body's ToString (a response carrying a
    // patient): the generated one would print every member. Nothing of this record is printable.
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append(PhiRedaction.Marker);
        return true;
    }
}
