using ClinicCluster.Clinics;
using Hl7.Fhir.Model;

namespace ClinicCluster.Fhir.Providers;

/// <summary>
/// A native provider as FHIR R4 <c>Practitioner</c> and as its one <c>Schedule</c> (same id: ids are
/// unique per resource type). Neither is PHI: they need the clinic-read permission, as natively.
/// </summary>
public static class ProviderMapper
{
    public static Practitioner Practitioner(Provider provider) => new()
    {
        Id = provider.Id,
        Active = true,
        Name = [new HumanName { Text = provider.Profile.Name }],
    };

    public static Schedule Schedule(Provider provider) => new()
    {
        Id = provider.Id,
        Active = true,
        Actor = [new ResourceReference("Practitioner/" + provider.Id, provider.Profile.Name)],
        Specialty = [new CodeableConcept { Text = provider.Profile.Specialty }],
    };
}
