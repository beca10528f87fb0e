using ClinicCluster.Audit;
using Hl7.Fhir.Model;
using FhirAuditEvent = Hl7.Fhir.Model.AuditEvent;

namespace ClinicCluster.Fhir.AuditEvents;

/// <summary>
/// A stored audit record as an R4 AuditEvent, on the Firely model (it replaced hand-written JSON
/// with the same content): who (subject, role, address, purpose of use), what (the RESTful
/// interaction and our operation name), when, the outcome, and the patient and resource concerned.
/// </summary>
public static class AuditEventMapper
{
    /// <summary>The code system of our operation names (the OpenAPI operation ids), the second subtype coding.</summary>
    public const string OperationSystem = "urn:clinic-cluster:operation";

    /// <param name="record">The stored record.</param>
    /// <param name="disclosedTo">In a patient's accounting: the patient, named as the entity of a search or list that returned them.</param>
    public static FhirAuditEvent ToFhir(AuditRecord record, string? disclosedTo = null)
    {
        var e = record.Event;
        var agent = new FhirAuditEvent.AgentComponent
        {
            Requestor = true,
            Who = new ResourceReference { Identifier = new Identifier { Value = e.Actor.Subject ?? "anonymous" } },
        };
        if (e.Actor.Role is { } role)
        {
            agent.Role = [new CodeableConcept { Text = role }];
        }

        if (e.Actor.ClientAddress is { } address)
        {
            agent.Network = new FhirAuditEvent.NetworkComponent { Address = address, Type = FhirAuditEvent.AuditEventAgentNetworkType.N2 };
        }

        if (e.PurposeOfUse is { } purpose)
        {
            agent.PurposeOfUse = [new CodeableConcept("http://terminology.hl7.org/CodeSystem/v3-ActReason", purpose)];
        }

        var resource = new FhirAuditEvent
        {
            Id = e.EventId.ToString("D"),
            Type = new Coding("http://terminology.hl7.org/CodeSystem/audit-event-type", "rest", "RESTful Operation"),
            Subtype = [new Coding("http://hl7.org/fhir/restful-interaction", Interaction(e.Action)), new Coding(OperationSystem, e.Operation)],
            Action = ActionCode(e.Action),
            Recorded = e.RecordedAt.ToUniversalTime(),
            Outcome = OutcomeCode(e.Outcome, e.HttpStatus),
            Agent = [agent],
            Source = new FhirAuditEvent.SourceComponent { Site = e.ClinicId, Observer = new ResourceReference { Display = "clinic-cluster-api" } },
        };

        var patientId = e.PatientId
            ?? (disclosedTo is not null && e.DisclosedPatientIds?.Contains(disclosedTo) == true ? disclosedTo : null);
        if (patientId is not null)
        {
            resource.Entity.Add(new FhirAuditEvent.EntityComponent
            {
                What = new ResourceReference($"Patient/{patientId}"),
                Role = new Coding("http://terminology.hl7.org/CodeSystem/object-role", "1", "Patient"),
            });
        }

        if (e.ResourceId is { } resourceId && e.ResourceType != "Patient")
        {
            resource.Entity.Add(new FhirAuditEvent.EntityComponent { What = new ResourceReference($"{e.ResourceType}/{resourceId}") });
        }

        return resource;
    }

    private static FhirAuditEvent.AuditEventAction ActionCode(AuditAction action) => action switch
    {
        AuditAction.Create => FhirAuditEvent.AuditEventAction.C,
        AuditAction.Read or AuditAction.Export => FhirAuditEvent.AuditEventAction.R,
        AuditAction.Update => FhirAuditEvent.AuditEventAction.U,
        AuditAction.Delete => FhirAuditEvent.AuditEventAction.D,
        _ => FhirAuditEvent.AuditEventAction.E,
    };

    private static string Interaction(AuditAction action) => action switch
    {
        AuditAction.Create => "create",
        AuditAction.Read or AuditAction.Export => "read",
        AuditAction.Update => "update",
        AuditAction.Delete => "delete",
        AuditAction.Search => "search-type",
        _ => "operation",
    };

    /// <summary>
    /// FHIR outcome: 0 success, 4 minor failure (refused, not found, invalid), 8 serious failure
    /// (server error), 12 major failure (stored PHI failed its integrity check).
    /// </summary>
    private static FhirAuditEvent.AuditEventOutcome OutcomeCode(AuditOutcome outcome, int status) => outcome switch
    {
        AuditOutcome.Success => FhirAuditEvent.AuditEventOutcome.N0,
        AuditOutcome.IntegrityFailure => FhirAuditEvent.AuditEventOutcome.N12,
        _ when status >= 500 => FhirAuditEvent.AuditEventOutcome.N8,
        _ => FhirAuditEvent.AuditEventOutcome.N4,
    };
}
