using ClinicCluster.Api.Audit;
using ClinicCluster.Api.Auth;
using ClinicCluster.Api.Edge;
using ClinicCluster.Api.Problems;
using ClinicCluster.Audit;
using ClinicCluster.Common;
using ClinicCluster.Patients;
using ClinicCluster.Scheduling;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace ClinicCluster.Api.Endpoints;

/// <summary>Patient registration, lookup and search. Every route here touches PHI.</summary>
public static class PatientsApi
{
    public const int DefaultSearchLimit = 20;
    public const int MaxSearchLimit = 100;
    public const int MaxMrnLength = 32;
    public const int MaxNameLength = 100;

    public static IEndpointRouteBuilder MapPatientsApi(this IEndpointRouteBuilder routes)
    {
        var patients = routes.MapClinicGroup("Patients").MapGroup("/patients");
        patients.MapPost("/", RegisterPatient)
            .Describe("RegisterPatient", "Register a patient", Permission.PatientWrite)
            .Audited(AuditAction.Create, "Patient")
            .WithMetadata(new NotIdempotent())
            .Produces<Patient>(StatusCodes.Status201Created).ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict);
        patients.MapPost("/import", ImportPatients)
            .Describe("ImportPatients", "Register a clinic's existing patients from NDJSON, one per line (idempotent per MRN, resumable)", Permission.PatientWrite)
            .Audited(AuditAction.Create, "PatientImport")

            // Never repeated by the retry filter: the body is read once. The import is idempotent per
            // MRN, so the client may re-send the file (or its rest) after any failure.
            .WithMetadata(new NotIdempotent())
            .WithMetadata(new BodyLimit(PatientImport.MaxBodyBytes))
            .Accepts<PatientDemographics>(PatientImport.MediaTypes[0], PatientImport.MediaTypes[1..])
            .Produces<PatientImportSummary>().ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        patients.MapGet("/", SearchPatients)
            .Describe("SearchPatients", "Find patients by MRN (mrn=) or by name prefix (name=)", Permission.PatientRead)
            .Audited(AuditAction.Search, "Patient")
            .Produces<PatientSearchResponse>().ProducesValidationProblem();
        patients.MapGet("/{patientId:id}", GetPatient)
            .Describe("GetPatient", "Get a patient", Permission.PatientRead)
            .Audited(AuditAction.Read, "Patient")
            .Produces<Patient>();
        patients.MapPut("/{patientId:id}", UpdatePatient)
            .Describe("UpdatePatient", "Replace a patient's demographics", Permission.PatientWrite)
            .Audited(AuditAction.Update, "Patient")
            .Produces<Patient>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);
        patients.MapGet("/{patientId:id}/appointments", ListPatientAppointments)
            .WithTags("Appointments")
            .Describe("ListPatientAppointments", "List a patient's appointments, one page at a time", Permission.AppointmentRead)
            .WithDescription($"By start, then id. `from`/`to`: instants with their offset, the starts to list ([from, to), default: all); "
                + $"`limit` 1-{AppointmentListQuery.MaxLimit} (default {AppointmentListQuery.DefaultLimit}). When more follow, the page carries "
                + "`nextCursor`: send it back as `cursor` with the same `from` and `to` for the next page (another list's cursor: 400). "
                + "Upcoming visits: `from` = now.")
            .Audited(AuditAction.Search, "Appointment")
            .Produces<AppointmentPageResponse>().ProducesValidationProblem();
        return routes;
    }

    private static async Task<IResult> RegisterPatient(string clinicId, PatientDemographics demographics, IGrainFactory grains)
    {
        var patientId = Identifiers.New("pat");
        var result = await Patient(grains, clinicId, patientId).CreateAsync(demographics);
        return ApiResults.From(result, patient =>
            TypedResults.Created($"/api/clinics/{clinicId}/patients/{patient.Id}", patient));
    }

    private static async Task<IResult> ImportPatients(string clinicId, int? firstLine, HttpContext http, IGrainFactory grains, IAuditTrail trail,
        AuditEventFactory events, IOptions<JsonOptions> json, ILoggerFactory loggers)
    {
        if (!MediaTypeHeaderValue.TryParse(http.Request.ContentType, out var type)
            || !PatientImport.MediaTypes.Contains(type.MediaType.Value, StringComparer.OrdinalIgnoreCase))
        {
            return TypedResults.Problem(detail: $"Send NDJSON ({string.Join(" or ", PatientImport.MediaTypes)}), one patient per line.",
                statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type", type: ApiResults.ProblemTypeBase + "unsupported-media-type");
        }

        if (firstLine is < 1 or > int.MaxValue - PatientImport.MaxLines)
        {
            return ApiResults.Invalid("firstLine", "Must be a line number from 1.");
        }

        var import = new PatientImport(grains, trail, events, json.Value.SerializerOptions, loggers.CreateLogger<PatientImport>());
        var summary = await import.RunAsync(http, clinicId, firstLine ?? 1);
        AuditDetails.Of(http).ResultCount = summary.Created;
        return summary.StoppedBecause == "cluster-or-storage-unavailable"
            ? TypedResults.Problem(detail: "The import stopped: the cluster or its storage is unavailable. Send the file again from resumeFromLine.",
                statusCode: StatusCodes.Status503ServiceUnavailable, title: "Import interrupted", type: ApiResults.ProblemTypeBase + "import-interrupted",
                extensions: new Dictionary<string, object?> { ["summary"] = summary, ["resumeFromLine"] = summary.ResumeFromLine })
            : TypedResults.Ok(summary);
    }

    private static async Task<IResult> GetPatient(string clinicId, string patientId, IGrainFactory grains) =>
        await Patient(grains, clinicId, patientId).GetAsync() is { } patient
            ? TypedResults.Ok(patient)
            : ApiResults.NotFound("Patient");

    private static async Task<IResult> UpdatePatient(string clinicId, string patientId, PatientDemographics demographics, IGrainFactory grains) =>
        ApiResults.From(await Patient(grains, clinicId, patientId).UpdateAsync(demographics), TypedResults.Ok);

    private static async Task<IResult> SearchPatients(string clinicId, string? mrn, string? name, int? limit, HttpContext http, IGrainFactory grains)
    {
        var audit = AuditDetails.Of(http);
        audit.QueryKind = mrn is not null ? "mrn" : name is not null ? "name" : null;
        if ((mrn is null) == (name is null))
        {
            return ApiResults.Invalid("query", "Give exactly one of 'mrn' or 'name'.");
        }

        if (limit is < 1 or > MaxSearchLimit)
        {
            return ApiResults.Invalid("limit", $"Must be between 1 and {MaxSearchLimit}.");
        }

        // The text rule before anything reaches a grain key or the index: no control characters, bounded.
        if (mrn is not null && FreeText.Problem(mrn, MaxMrnLength) is { } mrnProblem)
        {
            return ApiResults.Invalid("mrn", mrnProblem);
        }

        if (name is not null && FreeText.Problem(name, MaxNameLength) is { } nameProblem)
        {
            return ApiResults.Invalid("name", nameProblem);
        }

        var directory = grains.GetGrain<IPatientDirectoryGrain>(clinicId);
        if (mrn is not null)
        {
            var hit = await directory.FindByMrnAsync(mrn);
            (audit.ResultCount, audit.PatientId) = (hit is null ? 0 : 1, hit?.Id);
            audit.Disclosed(hit is null ? [] : [hit.Id]);
            return TypedResults.Ok(new PatientSearchResponse(hit is null ? [] : [hit]));
        }

        if (string.IsNullOrWhiteSpace(name))
        {
            return ApiResults.Invalid("name", $"A name prefix of 1 to {MaxNameLength} characters.");
        }

        var hits = await directory.SearchByNameAsync(name, limit ?? DefaultSearchLimit);
        audit.ResultCount = hits.Count;
        audit.Disclosed(hits.Select(h => h.Id));
        return TypedResults.Ok(new PatientSearchResponse(hits));
    }

    private static async Task<IResult> ListPatientAppointments(string clinicId, string patientId, DateTimeOffset? from, DateTimeOffset? to,
        int? limit, string? cursor, HttpContext http, IGrainFactory grains)
    {
        // The text rule before the cursor reaches a grain; the grain checks the rest (limit, window, cursor).
        if (cursor is not null && FreeText.Problem(cursor, AppointmentListQuery.MaxCursorLength) is { } cursorProblem)
        {
            return ApiResults.Invalid("cursor", cursorProblem);
        }

        if (await Patient(grains, clinicId, patientId).GetAsync() is null)
        {
            return ApiResults.NotFound("Patient");
        }

        var result = await grains.GetGrain<IPatientScheduleGrain>(ClinicScopedKey.Format(clinicId, patientId))
            .ListPageAsync(new AppointmentListQuery(from, to, limit ?? AppointmentListQuery.DefaultLimit, cursor));
        AuditDetails.Of(http).ResultCount = result.Value?.Items.Count ?? 0;
        return ApiResults.From(result, page => TypedResults.Ok(new AppointmentPageResponse(page.Items, page.NextCursor)));
    }

    private static IPatientGrain Patient(IGrainFactory grains, string clinicId, string patientId) =>
        grains.GetGrain<IPatientGrain>(ClinicScopedKey.Format(clinicId, patientId));
}
