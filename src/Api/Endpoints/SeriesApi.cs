using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using ClinicCluster.Api.Audit;
using ClinicCluster.Api.Auth;
using ClinicCluster.Api.Problems;
using ClinicCluster.Audit;
using ClinicCluster.Common;
using ClinicCluster.Scheduling;
using Microsoft.AspNetCore.Mvc;

namespace ClinicCluster.Api.Endpoints;

/// <summary>
/// Recurring series (decision 0045): N weekly occurrences from a subset of RFC 5545 RRULE, booked
/// all-or-nothing or what is free. Each occurrence is an ordinary appointment: cancel one with the
/// appointment's own cancel, this and the following ones here.
/// </summary>
public static class SeriesApi
{
    public static IEndpointRouteBuilder MapSeriesApi(this IEndpointRouteBuilder routes)
    {
        // No clinical text in the responses: a series keeps no reason (its occurrences do, read them one by one).
        var series = routes.MapClinicGroup("Appointments").MapGroup("/series")
            .ProducesProblem(StatusCodes.Status409Conflict);
        series.MapPost("/", Book)
            .Describe("BookSeries", "Book a recurring series; send an Idempotency-Key header to make retries safe", Permission.AppointmentBook)
            .WithDescription($"`rule`: FREQ=WEEKLY with INTERVAL (1-{RecurrenceRule.MaxInterval}) and COUNT (1-{RecurrenceRule.MaxOccurrences}) or UNTIL "
                + "(YYYYMMDD or YYYYMMDDTHHMMSSZ); any other part is a 400. `mode`: `all-or-nothing` (default; 409 `series-conflict` with "
                + "`conflicts`, nothing booked) or `book-what-is-free` (201 with `skipped`).")
            .Audited(AuditAction.Create, "Appointment")
            .WithMetadata(new NotIdempotent(HonoursIdempotencyKey: true))
            .Produces<SeriesResponse>(StatusCodes.Status201Created).ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        series.MapGet("/{seriesId:id}", Get)
            .Describe("GetSeries", "Get a recurring series and its occurrences", Permission.AppointmentRead)
            .Audited(AuditAction.Read, "Appointment")
            .Produces<AppointmentSeries>();
        series.MapPost("/{seriesId:id}/cancel", CancelFrom)
            .Describe("CancelSeriesFrom", "Cancel one occurrence and every later one", Permission.AppointmentBook)
            .Audited(AuditAction.Update, "Appointment")
            .Produces<AppointmentSeries>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        return routes;
    }

    private static async Task<IResult> Book(
        string clinicId,
        BookSeries request,
        [FromHeader(Name = AppointmentsApi.IdempotencyKeyHeader)] string? idempotencyKey,
        ClaimsPrincipal caller,
        HttpContext http,
        IGrainFactory grains)
    {
        AuditDetails.Of(http).PatientId = request.PatientId;
        if (idempotencyKey is not null && !FreeText.IsPrintableAscii(idempotencyKey, 255))
        {
            return ApiResults.Invalid(AppointmentsApi.IdempotencyKeyHeader, "1 to 255 printable ASCII characters.");
        }

        // As for a booking: the key picks the series id, so a retry lands on the first attempt's series.
        var seriesId = idempotencyKey is null ? Identifiers.New("ser")
            : "ser-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{caller.Subject()}\n{idempotencyKey}")))[..32];
        var result = await Series(grains, clinicId, seriesId).BookAsync(request);
        if (result.Value is { Series: null } refused)
        {
            return TypedResults.Problem(
                detail: "Some occurrences are not free; nothing was booked.",
                statusCode: StatusCodes.Status409Conflict,
                title: "Conflict",
                type: ApiResults.ProblemTypeBase + "series-conflict",
                extensions: new Dictionary<string, object?> { ["code"] = "series-conflict", ["conflicts"] = refused.Conflicts });
        }

        return ApiResults.From(result, outcome => TypedResults.Created(
            $"/api/clinics/{clinicId}/series/{outcome.Series!.Id}", new SeriesResponse(outcome.Series, outcome.Conflicts)));
    }

    private static async Task<IResult> Get(string clinicId, string seriesId, HttpContext http, IGrainFactory grains)
    {
        var series = await Series(grains, clinicId, seriesId).GetAsync();
        AuditDetails.Of(http).PatientId = series?.PatientId;
        return series is null ? ApiResults.NotFound("Series") : TypedResults.Ok(series);
    }

    private static async Task<IResult> CancelFrom(string clinicId, string seriesId, CancelSeriesRequest request, HttpContext http, IGrainFactory grains)
    {
        if (request.Reason is { } reason && FreeText.Problem(reason, FieldLimits.Reason, multiline: true) is { } problem)
        {
            return ApiResults.Invalid("reason", problem);
        }

        var result = await Series(grains, clinicId, seriesId).CancelFromAsync(request.FromIndex, request.Reason, request.ReasonCode);
        AuditDetails.Of(http).PatientId = result.Value?.PatientId;
        return ApiResults.From(result, TypedResults.Ok);
    }

    private static ISeriesGrain Series(IGrainFactory grains, string clinicId, string seriesId) =>
        grains.GetGrain<ISeriesGrain>(ClinicScopedKey.Format(clinicId, seriesId));
}

/// <summary>A booked series and the occurrences it skipped (book-what-is-free), each with its local date.</summary>
public sealed record SeriesResponse(AppointmentSeries Series, IReadOnlyList<SeriesConflict> Skipped);

/// <summary>Body of POST .../series/{seriesId}/cancel: the first occurrence to cancel (index, 0 is the first) and the reasons.</summary>
public sealed record CancelSeriesRequest(int FromIndex, string? Reason = null, CancellationReasonCode? ReasonCode = null);
