using ClinicCluster.Fhir.AuditEvents;
using ClinicCluster.Fhir.Patients;
using ClinicCluster.Fhir.Smart;
using Hl7.Fhir.Model;
using static Hl7.Fhir.Model.CapabilityStatement;

namespace ClinicCluster.Fhir.Conformance;

/// <summary>
/// The CapabilityStatement: exactly the interactions and search parameters this facade implements,
/// nothing planned. Built once: it depends only on the base URL.
/// </summary>
public static class Capabilities
{
    public const string SoftwareName = "Clinic Cluster FHIR facade";
    private const string SearchParameterBase = "http://hl7.org/fhir/SearchParameter/";

    public static CapabilityStatement Of(string baseUrl) => new()
    {
        Name = "ClinicClusterFhir",
        Title = SoftwareName,
        Status = PublicationStatus.Active,
        Date = "2026-12-07",
        Kind = CapabilityStatementKind.Instance,
        Software = new SoftwareComponent { Name = SoftwareName },
        Implementation = new ImplementationComponent
        {
            Description = "FHIR R4 over the Clinic Cluster grains, one base per clinic: read and search, slots from availability, versioned Appointment writes, $find and $book.",
            Url = baseUrl,
        },
        FhirVersion = FHIRVersion.N4_0_1,
        Format = ["json"],
        Rest =
        [
            new RestComponent
            {
                Mode = RestfulCapabilityMode.Server,
                Security = SmartSecurity.Component(),
                Resource =
                [
                    Patient(), AppointmentCapabilities.Resource(), DirectoryCapabilities.Practitioner(), DirectoryCapabilities.Schedule(),
                    DirectoryCapabilities.Slot(), DirectoryCapabilities.Location(), DirectoryCapabilities.Organization(), AuditEventCapability.Resource(),
                ],
            },
        ],
    };

    /// <summary>
    /// A resource entry with its interactions and what this facade never offers on any resource:
    /// no history, no update-as-create, no conditional interactions, no versions (callers that
    /// version or create conditionally set those after).
    /// </summary>
    public static ResourceComponent Base(string type, params TypeRestfulInteraction[] interactions) => new()
    {
        Type = type,
        Profile = "http://hl7.org/fhir/StructureDefinition/" + type,
        Interaction = interactions.Select(code => new ResourceInteractionComponent { Code = code }).ToList(),
        Versioning = ResourceVersionPolicy.NoVersion,
        ReadHistory = false,
        UpdateCreate = false,
        ConditionalCreate = false,
        ConditionalRead = ConditionalReadStatus.NotSupported,
        ConditionalUpdate = false,
        ConditionalDelete = ConditionalDeleteStatus.NotSupported,
    };

    /// <summary>Declared search parameters with their R4 types; <paramref name="definition"/> names the base specification's SearchParameter of each.</summary>
    public static List<CapabilityStatement.SearchParamComponent> SearchParams(IEnumerable<(string Name, string Type, string Documentation)> declared, Func<string, string> definition) =>
        declared.Select(p => new CapabilityStatement.SearchParamComponent
        {
            Name = p.Name,
            Definition = SearchParameterBase + (p.Name == "_id" ? "Resource-id" : definition(p.Name)),
            Type = Enum.Parse<SearchParamType>(p.Type, ignoreCase: true),
            Documentation = p.Documentation,
        }).ToList();

    private static ResourceComponent Patient()
    {
        var patient = Base("Patient", TypeRestfulInteraction.Read, TypeRestfulInteraction.SearchType);
        patient.Versioning = ResourceVersionPolicy.Versioned;
        patient.SearchParam = SearchParams(PatientSearchQuery.Declared, name => name switch
        {
            "identifier" => "Patient-identifier",
            "name" => "Patient-name",
            "family" => "individual-family",
            "given" => "individual-given",
            _ => "individual-birthdate",
        });
        return patient;
    }
}
