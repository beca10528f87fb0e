using System.Text.Json.Nodes;
using ClinicCluster.Audit;

namespace ClinicCluster.Api.Audit;

/// <summary>Renders a stored audit record as a FHIR R4 AuditEvent resource (for NDJSON export).</summary>
public static class FhirAuditEvent
{
    /// <summary>The code system of our operation names (the OpenAPI operation ids), the second subtype coding.</summary>
    public const string OperationSystem = "urn:clinic-cluster:operation";

    /// <param name="record">The stored record.</param>
    /// <param name="disclosedTo">In a patient's accounting: the patient, named as the entity of a search or list that returned them.</param>
    public static JsonObject From(AuditRecord record, string? disclosedTo = null)
    {
        var e = record.Event;
        var agent = new JsonObject
        {
            ["requestor"] = true,
            ["who"] = new JsonObject { ["identifier"] = new JsonObject { ["value"] = e.Actor.Subject ?? "anonymous" } },
        };
        if (e.Actor.Role is { } role)
        {
            agent["role"] = new JsonArray(new JsonObject { ["text"] = role });
        }

        if (e.Actor.ClientAddress is { } address)
        {
            agent["network"] = new JsonObject { ["address"] = address, ["type"] = "2" };
        }

        if (e.PurposeOfUse is { } purpose)
        {
            agent["purposeOfUse"] = new JsonArray(new JsonObject
            {
                ["coding"] = new JsonArray(new JsonObject
                {
                    ["system"] = "http://terminology.hl7.org/CodeSystem/v3-ActReason",
                    ["code"] = purpose,
                }),
            });
        }

        var resource = new JsonObject
        {
            ["resourceType"] = "AuditEvent",
            ["id"] = e.EventId.ToString("D"),
            ["type"] = new JsonObject
            {
                ["system"] = "http://terminology.hl7.org/CodeSystem/audit-event-type",
                ["code"] = "rest",
                ["display"] = "RESTful Operation",
            },
            ["subtype"] = new JsonArray(
                new JsonObject
                {
                    ["system"] = "http://hl7.org/fhir/restful-interaction",
                    ["code"] = Interaction(e.Action),
                },
                new JsonObject { ["system"] = OperationSystem, ["code"] = e.Operation }),
            ["action"] = ActionCode(e.Action),
            ["recorded"] = e.RecordedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", System.Globalization.CultureInfo.InvariantCulture),
            ["outcome"] = OutcomeCode(e.Outcome, e.HttpStatus),
            ["agent"] = new JsonArray(agent),
            ["source"] = new JsonObject
            {
                ["site"] = e.ClinicId,
                ["observer"] = new JsonObject { ["display"] = "clinic-cluster-api" },
            },
        };

        var entities = new JsonArray();
        var patientId = e.PatientId
            ?? (disclosedTo is not null && e.DisclosedPatientIds?.Contains(disclosedTo) == true ? disclosedTo : null);
        if (patientId is not null)
        {
            entities.Add(new JsonObject
            {
                ["what"] = new JsonObject { ["reference"] = $"Patient/{patientId}" },
                ["role"] = new JsonObject { ["system"] = "http://terminology.hl7.org/CodeSystem/object-role", ["code"] = "1", ["display"] = "Patient" },
            });
        }

        if (e.ResourceId is { } resourceId && e.ResourceType != "Patient")
        {
            entities.Add(new JsonObject { ["what"] = new JsonObject { ["reference"] = $"{e.ResourceType}/{resourceId}" } });
        }

        if (entities.Count > 0)
        {
            resource["entity"] = entities;
        }

        return resource;
    }

    private static string ActionCode(AuditAction action) => action switch
    {
        AuditAction.Create => "C",
        AuditAction.Read or AuditAction.Export => "R",
        AuditAction.Update => "U",
        AuditAction.Delete => "D",
        _ => "E",
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
    private static string OutcomeCode(AuditOutcome outcome, int status) => outcome switch
    {
        AuditOutcome.Success => "0",
        AuditOutcome.IntegrityFailure => "12",
        _ when status >= 500 => "8",
        _ => "4",
    };
}
