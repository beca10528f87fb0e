using ClinicCluster.Fhir.AuditEvents;
using ClinicCluster.Fhir.Patients;
using ClinicCluster.Fhir.Smart;
using Hl7.Fhir.Model;

namespace ClinicCluster.Fhir.Conformance;

/// <summary>
/// The CapabilityStatement: exactly the interactions and search parameters this facade implements,
/// nothing planned. Built once: it depends only on the base URL.
/// </summary>
public static class Capabilities
{
    public const string SoftwareName = "Clinic Cluster FHIR facade";

    public static CapabilityStatement Of(string baseUrl) => new()
    {
        Name = "ClinicClusterFhir",
        Title = SoftwareName,
        Status = PublicationStatus.Active,
        Date = "2026-12-06",
        Kind = CapabilityStatementKind.Instance,
        Software = new CapabilityStatement.SoftwareComponent { Name = SoftwareName },
        Implementation = new CapabilityStatement.ImplementationComponent
        {
            Description = "FHIR R4 over the Clinic Cluster grains, one base per clinic: read and search, versioned Appointment writes, $find and $book.",
            Url = baseUrl,
        },
        FhirVersion = FHIRVersion.N4_0_1,
        Format = ["json"],
        Rest =
        [
            new CapabilityStatement.RestComponent
            {
                Mode = CapabilityStatement.RestfulCapabilityMode.Server,
                Security = SmartSecurity.Component(),
                Resource = [Patient(), AppointmentCapabilities.Resource(), ReadOnly("Practitioner"), ReadOnly("Schedule"), AuditEventCapability.Resource()],
            },
        ],
    };

    private static CapabilityStatement.ResourceComponent Patient() => new()
    {
        Type = "Patient",
        Profile = "http://hl7.org/fhir/StructureDefinition/Patient",
        Interaction = [Interaction(CapabilityStatement.TypeRestfulInteraction.Read), Interaction(CapabilityStatement.TypeRestfulInteraction.SearchType)],
        Versioning = CapabilityStatement.ResourceVersionPolicy.Versioned,
        ReadHistory = false,
        UpdateCreate = false,
        ConditionalCreate = false,
        ConditionalRead = CapabilityStatement.ConditionalReadStatus.NotSupported,
        ConditionalUpdate = false,
        ConditionalDelete = CapabilityStatement.ConditionalDeleteStatus.NotSupported,
        SearchParam = PatientSearchQuery.Declared.Select(p => new CapabilityStatement.SearchParamComponent
        {
            Name = p.Name,
            Definition = "http://hl7.org/fhir/SearchParameter/" + (p.Name == "_id" ? "Resource-id" : p.Name switch
            {
                "identifier" => "Patient-identifier",
                "name" => "Patient-name",
                "family" => "individual-family",
                "given" => "individual-given",
                _ => "individual-birthdate",
            }),
            Type = Enum.Parse<SearchParamType>(p.Type, ignoreCase: true),
            Documentation = p.Documentation,
        }).ToList(),
    };

    private static CapabilityStatement.ResourceComponent ReadOnly(string type) => new()
    {
        Type = type,
        Profile = "http://hl7.org/fhir/StructureDefinition/" + type,
        Interaction = [Interaction(CapabilityStatement.TypeRestfulInteraction.Read)],
        Versioning = CapabilityStatement.ResourceVersionPolicy.NoVersion,
        ReadHistory = false,
        UpdateCreate = false,
        ConditionalCreate = false,
        ConditionalRead = CapabilityStatement.ConditionalReadStatus.NotSupported,
        ConditionalUpdate = false,
        ConditionalDelete = CapabilityStatement.ConditionalDeleteStatus.NotSupported,
    };

    private static CapabilityStatement.ResourceInteractionComponent Interaction(CapabilityStatement.TypeRestfulInteraction code) => new() { Code = code };
}
