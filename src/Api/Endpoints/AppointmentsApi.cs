using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ClinicCluster.Api.Audit;
using ClinicCluster.Api.Auth;
using ClinicCluster.Api.Problems;
using ClinicCluster.Api.Telemetry;
using ClinicCluster.Audit;
using ClinicCluster.Common;
using ClinicCluster.Scheduling;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace ClinicCluster.Api.Endpoints;

/// <summary>Booking and the appointment lifecycle.</summary>
public static class AppointmentsApi
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    public static IEndpointRouteBuilder MapAppointmentsApi(this IEndpointRouteBuilder routes)
    {
        var clinic = routes.MapClinicGroup("Appointments");
        var appointments = clinic.MapGroup("/appointments")
            .AddEndpointFilter<ClinicalTextFilter>()
            .ProducesProblem(StatusCodes.Status409Conflict);
        appointments.MapPost("/", BookAppointment)
            .Describe("BookAppointment", "Book an appointment; send an Idempotency-Key header to make retries safe", Permission.AppointmentBook)
            .Audited(AuditAction.Create, "Appointment")
            .WithBookingMetrics()
            .WithMetadata(new NotIdempotent(HonoursIdempotencyKey: true))
            .Produces<Appointment>(StatusCodes.Status201Created).ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        appointments.MapGet("/{appointmentId:id}", GetAppointment)
            .Describe("GetAppointment", "Get an appointment", Permission.AppointmentRead)
            .Audited(AuditAction.Read, "Appointment")
            .Produces<Appointment>();
        appointments.MapPost("/{appointmentId:id}/reschedule", Reschedule)
            .Describe("RescheduleAppointment", "Move a booked appointment to another start", Permission.AppointmentBook)
            .Audited(AuditAction.Update, "Appointment")
            .Produces<Appointment>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        appointments.MapPost("/{appointmentId:id}/cancel", Cancel)
            .Describe("CancelAppointment", "Cancel a booked or checked-in appointment", Permission.AppointmentBook)
            .WithDescription("A checked-in visit needs `reasonCode` (400 `validation` without it). 409 problems: `cancellation-cutoff` "
                + "(a booked visit inside the policy's cutoff), `invalid-transition`.")
            .Audited(AuditAction.Update, "Appointment")
            .Produces<Appointment>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        appointments.MapPost("/{appointmentId:id}/check-in", CheckIn)
            .Describe("CheckInAppointment", "Record that the patient arrived", Permission.AppointmentAttend)
            .WithDescription("Allowed from the start minus the policy's `checkInOpensMinutes` to the end plus its `checkInGraceMinutes`. "
                + "409 problems: `check-in-not-open` (the detail says when it opens, in the clinic's zone), `check-in-closed`, `invalid-transition`.")
            .Audited(AuditAction.Update, "Appointment")
            .Produces<Appointment>();
        appointments.MapPost("/{appointmentId:id}/complete", Complete)
            .Describe("CompleteAppointment", "Mark a checked-in visit fulfilled", Permission.AppointmentComplete)
            .WithDescription("Allowed once the visit has started. 409 problems: `not-started` (the detail says from when, in the clinic's zone), "
                + "`invalid-transition` (not checked in).")
            .Audited(AuditAction.Update, "Appointment")
            .Produces<Appointment>();
        appointments.MapPost("/{appointmentId:id}/no-show", NoShow)
            .Describe("MarkNoShow", "Mark a booked appointment as a no-show after its start", Permission.AppointmentAttend)
            .WithDescription("Allowed from the start plus the policy's `noShowGraceMinutes`. 409 problems: `not-started` (the detail says "
                + "from when, in the clinic's zone), `invalid-transition`.")
            .Audited(AuditAction.Update, "Appointment")
            .Produces<Appointment>();

        clinic.MapGet("/providers/{providerId:id}/appointments", ListProviderDay)
            .Describe("ListProviderAppointments", "List a provider's appointments on one local date", Permission.AppointmentRead)
            .Audited(AuditAction.Search, "Appointment")
            .Produces<AppointmentListResponse>().ProducesValidationProblem();
        return routes;
    }

    private static async Task<IResult> BookAppointment(
        string clinicId,
        BookAppointment request,
        [FromHeader(Name = IdempotencyKeyHeader)] string? idempotencyKey,
        ClaimsPrincipal caller,
        HttpContext http,
        IGrainFactory grains,
        IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json)
    {
        AuditDetails.Of(http).PatientId = request.PatientId;
        string appointmentId;
        string? fingerprint = null;
        if (idempotencyKey is null)
        {
            appointmentId = Identifiers.New("apt");
        }
        else if (!FreeText.IsPrintableAscii(idempotencyKey, 255))
        {
            return ApiResults.Invalid(IdempotencyKeyHeader, "1 to 255 printable ASCII characters.");
        }
        else
        {
            // The key picks the appointment's id, so a retry lands on the grain that holds the first
            // outcome. Keys are scoped to the caller: two clients cannot collide on "1".
            appointmentId = "apt-" + Hash($"{caller.Subject()}\n{idempotencyKey}")[..32];
            fingerprint = Hash(JsonSerializer.Serialize(request, json.Value.SerializerOptions));
        }

        var result = await Appointment(grains, clinicId, appointmentId).BookAsync(request, fingerprint);
        return ApiResults.From(result, appointment =>
            TypedResults.Created($"/api/clinics/{clinicId}/appointments/{appointment.Id}", appointment));
    }

    private static async Task<IResult> GetAppointment(string clinicId, string appointmentId, IGrainFactory grains) =>
        await Appointment(grains, clinicId, appointmentId).GetAsync() is { } appointment
            ? TypedResults.Ok(appointment)
            : ApiResults.NotFound("Appointment");

    private static async Task<IResult> Reschedule(string clinicId, string appointmentId, RescheduleRequest request, IGrainFactory grains) =>
        ApiResults.From(await Appointment(grains, clinicId, appointmentId).RescheduleAsync(request.Start), TypedResults.Ok);

    private static async Task<IResult> Cancel(
        string clinicId,
        string appointmentId,
        [FromBody(EmptyBodyBehavior = Microsoft.AspNetCore.Mvc.ModelBinding.EmptyBodyBehavior.Allow)] CancelRequest? request,
        IGrainFactory grains)
    {
        // The grain stores the reason as given; the text rule keeps NUL and control characters out of storage.
        if (request?.Reason is { } reason && FreeText.Problem(reason, FieldLimits.Reason, multiline: true) is { } problem)
        {
            return ApiResults.Invalid("reason", problem);
        }

        return ApiResults.From(await Appointment(grains, clinicId, appointmentId).CancelAsync(request?.Reason, request?.ReasonCode), TypedResults.Ok);
    }

    private static Task<IResult> CheckIn(string clinicId, string appointmentId, IGrainFactory grains) =>
        ChangeStatus(grains, clinicId, appointmentId, AppointmentStatus.CheckedIn);

    private static Task<IResult> Complete(string clinicId, string appointmentId, IGrainFactory grains) =>
        ChangeStatus(grains, clinicId, appointmentId, AppointmentStatus.Fulfilled);

    private static Task<IResult> NoShow(string clinicId, string appointmentId, IGrainFactory grains) =>
        ChangeStatus(grains, clinicId, appointmentId, AppointmentStatus.NoShow);

    private static async Task<IResult> ListProviderDay(string clinicId, string providerId, DateOnly date, HttpContext http, IGrainFactory grains)
    {
        var result = await grains.GetGrain<IProviderScheduleGrain>(ClinicScopedKey.Format(clinicId, providerId)).ListDayAsync(date);
        var audit = AuditDetails.Of(http);
        audit.ResultCount = result.Value?.Count;
        audit.Disclosed(result.Value?.Select(a => a.PatientId) ?? []);
        return ApiResults.From(result, items => TypedResults.Ok(new AppointmentListResponse(items)));
    }

    private static async Task<IResult> ChangeStatus(IGrainFactory grains, string clinicId, string appointmentId, AppointmentStatus target) =>
        ApiResults.From(await Appointment(grains, clinicId, appointmentId).ChangeStatusAsync(target), TypedResults.Ok);

    private static IAppointmentGrain Appointment(IGrainFactory grains, string clinicId, string appointmentId) =>
        grains.GetGrain<IAppointmentGrain>(ClinicScopedKey.Format(clinicId, appointmentId));

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
