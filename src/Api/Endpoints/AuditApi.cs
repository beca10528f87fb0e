using ClinicCluster.Api.Audit;
using ClinicCluster.Api.Auth;
using ClinicCluster.Api.Problems;
using ClinicCluster.Audit;
using ClinicCluster.Common;
using ClinicCluster.Fhir.AuditEvents;
using ClinicCluster.Fhir.Hosting;

namespace ClinicCluster.Api.Endpoints;

/// <summary>The PHI access audit trail, for auditors. Reading it is itself audited.</summary>
public static class AuditApi
{
    public const int DefaultPageSize = 100;
    public const int MaxPageSize = 1000;
    public const int MaxActorLength = 256;
    public const string NdjsonContentType = "application/fhir+ndjson";

    public static IEndpointRouteBuilder MapAuditApi(this IEndpointRouteBuilder routes)
    {
        var audit = routes.MapClinicGroup("Audit").MapGroup("/audit");
        audit.MapGet("/events", ListEvents)
            .Describe("ListAuditEvents", "Audit events by patient, by actor and by time range, one page at a time", Permission.AuditRead)
            .Audited(AuditAction.Search, "AuditEvent")
            .Produces<AuditPage>().ProducesValidationProblem();
        audit.MapGet("/patients/{patientId:id}/disclosures", ExportDisclosures)
            .Describe("ExportDisclosures", "A patient's accounting of disclosures as FHIR AuditEvent NDJSON", Permission.AuditRead)
            .Audited(AuditAction.Export, "AuditEvent")
            .Produces<string>(StatusCodes.Status200OK, NdjsonContentType);
        return routes;
    }

    private static async Task<IResult> ListEvents(
        string clinicId, string? patientId, string? actor, DateTimeOffset? from, DateTimeOffset? to, long? after, int? limit,
        HttpContext http, IGrainFactory grains)
    {
        var errors = new Dictionary<string, string[]>();
        if (patientId is not null && !Identifiers.IsValid(patientId))
        {
            errors["patientId"] = ["Must be a patient id."];
        }

        if (actor is not null && FreeText.Problem(actor, MaxActorLength) is { } actorProblem)
        {
            errors["actor"] = [actorProblem];
        }

        if (after is < 0)
        {
            errors["after"] = ["Must not be negative."];
        }

        if (limit is < 1 or > MaxPageSize)
        {
            errors["limit"] = [$"Must be between 1 and {MaxPageSize}."];
        }

        if (from > to)
        {
            errors["to"] = ["Must not be before 'from'."];
        }

        if (errors.Count > 0)
        {
            return ApiResults.Problem(Error.Validation(errors));
        }

        var query = new AuditQuery(patientId, actor, from, to, after ?? 0, limit ?? DefaultPageSize);
        var records = await grains.GetGrain<IAuditTrailGrain>(clinicId).QueryAsync(query);
        var details = AuditDetails.Of(http);
        (details.PatientId, details.QueryKind, details.ResultCount) = (patientId, QueryKind(patientId, actor), records.Count);
        var next = records.Count == query.Limit ? records[^1].Sequence : (long?)null;
        return TypedResults.Ok(new AuditPage(records, next));
    }

    private static async Task<IResult> ExportDisclosures(string clinicId, string patientId, HttpContext http, IGrainFactory grains)
    {
        // Everything is read before the first byte is written, so the audit event (written by the
        // filter before the response) counts the records, and a failure still yields a problem.
        var trail = grains.GetGrain<IAuditTrailGrain>(clinicId);
        var lines = new List<string>();
        long after = 0;
        while (true)
        {
            var page = await trail.QueryAsync(new AuditQuery(patientId, null, null, null, after, MaxPageSize));
            lines.AddRange(page.Select(r => FhirJson.Serialize(AuditEventMapper.ToFhir(r, patientId))));
            if (page.Count < MaxPageSize)
            {
                break;
            }

            after = page[^1].Sequence;
        }

        AuditDetails.Of(http).ResultCount = lines.Count;
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"disclosures-{patientId}.ndjson\"";
        return TypedResults.Text(string.Concat(lines.Select(l => l + "\n")), NdjsonContentType);
    }

    private static string QueryKind(string? patientId, string? actor) =>
        (patientId, actor) switch
        {
            (not null, not null) => "patient+actor",
            (not null, null) => "patient",
            (null, not null) => "actor",
            _ => "time",
        };
}

/// <summary>One page of audit records; pass <see cref="Next"/> as <c>after</c> for the following page.</summary>
public sealed record AuditPage(IReadOnlyList<AuditRecord> Items, long? Next);
