using ClinicCluster.Audit;
using ClinicCluster.Fhir.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using FhirAppointment = Hl7.Fhir.Model.Appointment;

namespace ClinicCluster.Fhir.Appointments;

/// <summary>
/// <c>POST Appointment</c>: books (201, <c>Location .../Appointment/{id}/_history/1</c>) through
/// <see cref="FhirBooking"/>. <c>If-None-Exist</c> (a query of the Appointment search parameters)
/// makes it conditional: no match books, one match answers it (200), several are 412. The search
/// and the booking are two steps: two concurrent conditional creates for one slot still give one
/// appointment (the calendars refuse the second, 409).
/// </summary>
public static class FhirAppointmentCreate
{
    public const string IfNoneExistHeader = "If-None-Exist";

    public static void Map(RouteGroupBuilder fhir, IFhirHost host) =>
        host.Secure(host.Creates(fhir.MapPost("/Appointment", CreateAsync).WithName("FhirCreateAppointment").WithMetadata(new FhirJsonBody())),
            FhirAccess.AppointmentBook, AuditAction.Create, "Appointment");

    private static async Task<IResult> CreateAsync(string clinicId, HttpContext http, IGrainFactory grains, IFhirHost host)
    {
        var (appointment, invalid) = await FhirBody.ReadAsync<FhirAppointment>(http.Request, "Appointment");
        if (appointment is null)
        {
            return invalid!;
        }

        if (BookingRequest.From(appointment).Command is { } command)
        {
            host.NotePatient(http, command.PatientId);
        }

        var condition = http.Request.Headers[IfNoneExistHeader];
        if (condition.Count == 0)
        {
            return await FhirBooking.BookAsync(http, clinicId, appointment);
        }

        if (condition.Count != 1 || condition[0]!.Length > 2048)
        {
            return FhirOutcomes.Invalid("If-None-Exist: one query of Appointment search parameters.");
        }

        var text = condition[0]!.TrimStart('?');
        var (query, error) = AppointmentSearchQuery.Parse(QueryHelpers.ParseQuery(text.Contains('=') ? "?" + text : "?_="));
        if (query is null || query.Cursor is not null)
        {
            return error ?? FhirOutcomes.Invalid("If-None-Exist: one query of Appointment search parameters.");
        }

        var (ids, failed) = await AppointmentSearch.MatchAsync(grains, clinicId, query);
        if (ids is null)
        {
            return failed!;
        }

        return ids.Count == 0 ? await FhirBooking.BookAsync(http, clinicId, appointment) : await AnswerMatchesAsync(http, clinicId, ids);
    }

    /// <summary>The answer to an If-None-Exist that matched: the one match (200), or 412 for several.</summary>
    public static async Task<IResult> AnswerMatchesAsync(HttpContext http, string clinicId, IReadOnlyList<string> ids)
    {
        var host = http.RequestServices.GetRequiredService<IFhirHost>();
        var grains = http.RequestServices.GetRequiredService<IGrainFactory>();
        if (ids.Count == 1 && await AppointmentSearch.LoadAsync(grains, clinicId, ids) is [var existing])
        {
            host.NotePatient(http, existing.PatientId);
            host.NoteResource(http, existing.Id);
            return FhirVersions.Result(AppointmentMapper.ToFhir(existing, host.MayReadClinicalText(http, clinicId)));
        }

        return FhirOutcomes.Error(StatusCodes.Status412PreconditionFailed, "If-None-Exist matches more than one Appointment.");
    }
}
