using ClinicCluster.Fhir.Conformance;
using static Hl7.Fhir.Model.CapabilityStatement;

namespace ClinicCluster.Fhir.AuditEvents;

/// <summary>The CapabilityStatement entry of AuditEvent: search-type only, with <c>patient</c> and <c>date</c>.</summary>
public static class AuditEventCapability
{
    private static readonly (string Name, string Type, string Documentation)[] Declared =
    [
        ("patient", "reference", "The patient the event concerns or disclosed: an id or Patient/{id}."),
        ("date", "date", "When it was recorded: eq, ge, gt, le, lt with a UTC day or an instant; at most two."),
    ];

    public static ResourceComponent Resource()
    {
        var resource = Capabilities.Base("AuditEvent", TypeRestfulInteraction.SearchType);
        resource.SearchParam = Capabilities.SearchParams(Declared, name => "AuditEvent-" + name);
        return resource;
    }
}
