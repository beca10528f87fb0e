using ClinicCluster.Fhir.Appointments;
using ClinicCluster.Fhir.Operations;
using Hl7.Fhir.Model;
using static Hl7.Fhir.Model.CapabilityStatement;

namespace ClinicCluster.Fhir.Conformance;

/// <summary>
/// The Appointment entry of the CapabilityStatement: read, vread (current version), versioned
/// update, conditional create, search with exactly <see cref="AppointmentSearchQuery.Declared"/>,
/// and the two scheduling operations. Their parameters follow IHE ITI Scheduling with Argonaut's
/// names as aliases (docs/fhir.md); the definitions are our canonicals, not published documents.
/// </summary>
public static class AppointmentCapabilities
{
    public const string OperationBase = "https://clinic-cluster.dev/fhir/OperationDefinition/";

    public static ResourceComponent Resource() => new()
    {
        Type = "Appointment",
        Profile = "http://hl7.org/fhir/StructureDefinition/Appointment",
        Interaction =
        [
            new ResourceInteractionComponent { Code = TypeRestfulInteraction.Read },
            new ResourceInteractionComponent { Code = TypeRestfulInteraction.Vread, Documentation = "The current version only." },
            new ResourceInteractionComponent { Code = TypeRestfulInteraction.Update, Documentation = "If-Match required; status or start/end changes only." },
            new ResourceInteractionComponent { Code = TypeRestfulInteraction.Create, Documentation = "Books; honours If-None-Exist and Idempotency-Key." },
            new ResourceInteractionComponent { Code = TypeRestfulInteraction.SearchType },
        ],
        Versioning = ResourceVersionPolicy.VersionedUpdate,
        ReadHistory = false,
        UpdateCreate = false,
        ConditionalCreate = true,
        ConditionalRead = ConditionalReadStatus.NotSupported,
        ConditionalUpdate = false,
        ConditionalDelete = ConditionalDeleteStatus.NotSupported,
        SearchParam = AppointmentSearchQuery.Declared.Select(p => new CapabilityStatement.SearchParamComponent
        {
            Name = p.Name,
            Definition = "http://hl7.org/fhir/SearchParameter/" + (p.Name == "date" ? "clinical-date" : "Appointment-" + p.Name),
            Type = Enum.Parse<SearchParamType>(p.Type, ignoreCase: true),
            Documentation = p.Documentation,
        }).ToList(),
        Operation =
        [
            new OperationComponent
            {
                Name = "find",
                Definition = OperationBase + "appointment-find",
                Documentation = "Proposed appointments across practitioners: " + string.Join(", ", FindQuery.Declared.Select(d => d.Name)) + ".",
            },
            new OperationComponent
            {
                Name = "book",
                Definition = OperationBase + "appointment-book",
                Documentation = "Books appointment-resource (or a bare Appointment); cancelled-appt-id reschedules that appointment.",
            },
        ],
    };
}
