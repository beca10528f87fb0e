using Hl7.Fhir.Model;

namespace ClinicCluster.Fhir.AuditEvents;

/// <summary>The CapabilityStatement entry of AuditEvent: search-type only, with <c>patient</c> and <c>date</c>.</summary>
public static class AuditEventCapability
{
    public static CapabilityStatement.ResourceComponent Resource() => new()
    {
        Type = "AuditEvent",
        Profile = "http://hl7.org/fhir/StructureDefinition/AuditEvent",
        Interaction = [new CapabilityStatement.ResourceInteractionComponent { Code = CapabilityStatement.TypeRestfulInteraction.SearchType }],
        Versioning = CapabilityStatement.ResourceVersionPolicy.NoVersion,
        ReadHistory = false,
        UpdateCreate = false,
        ConditionalCreate = false,
        ConditionalRead = CapabilityStatement.ConditionalReadStatus.NotSupported,
        ConditionalUpdate = false,
        ConditionalDelete = CapabilityStatement.ConditionalDeleteStatus.NotSupported,
        SearchParam =
        [
            new CapabilityStatement.SearchParamComponent
            {
                Name = "patient",
                Definition = "http://hl7.org/fhir/SearchParameter/AuditEvent-patient",
                Type = SearchParamType.Reference,
                Documentation = "The patient the event concerns or disclosed: an id or Patient/{id}.",
            },
            new CapabilityStatement.SearchParamComponent
            {
                Name = "date",
                Definition = "http://hl7.org/fhir/SearchParameter/AuditEvent-date",
                Type = SearchParamType.Date,
                Documentation = "When it was recorded: eq, ge, gt, le, lt with a UTC day or an instant; at most two.",
            },
        ],
    };
}
