using ClinicCluster.Clinics;
using Hl7.Fhir.Model;

namespace ClinicCluster.Fhir.Organizations;

/// <summary>
/// The clinic as R4 <c>Organization</c> (who provides the care) and as its one <c>Location</c> (where),
/// both with the clinic's id. The clinic record has a name and a time zone, no address or contact.
/// </summary>
public static class ClinicMapper
{
    public static Organization Organization(Clinic clinic) => new()
    {
        Id = clinic.Id,
        Active = true,
        Name = clinic.Settings.Name,
    };

    public static Location Location(Clinic clinic) => new()
    {
        Id = clinic.Id,
        Status = Hl7.Fhir.Model.Location.LocationStatus.Active,
        Mode = Hl7.Fhir.Model.Location.LocationMode.Instance,
        Name = clinic.Settings.Name,
        ManagingOrganization = new ResourceReference("Organization/" + clinic.Id, clinic.Settings.Name),
    };
}
