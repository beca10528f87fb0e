using ClinicCluster.Audit;
using ClinicCluster.Common;
using ClinicCluster.Fhir.Appointments;
using ClinicCluster.Fhir.Hosting;
using ClinicCluster.Scheduling;
using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace ClinicCluster.Fhir.Operations;

/// <summary>
/// <c>Appointment/$book</c>: the body is a bare Appointment or Parameters with
/// <c>appointment-resource</c> (Argonaut: <c>appt-resource</c>). It books through
/// <see cref="FhirBooking"/>, the native ledger path (overlap 409; two identical concurrent calls
/// give one appointment). With <c>cancelled-appt-id</c> it is a reschedule of that appointment
/// (same patient, practitioner and visit type) through the native <c>RescheduleAsync</c>: the new
/// slot is held before the old one is freed, and the id stays.
/// </summary>
public static class FhirBookOperation
{
    private static readonly string[] ResourceNames = ["appointment-resource", "appt-resource"];

    public static void Map(RouteGroupBuilder fhir, IFhirHost host) =>
        host.Secure(host.Creates(fhir.MapPost("/Appointment/$book", BookAsync).WithName("FhirBookAppointment").WithMetadata(new FhirJsonBody())),
            FhirAccess.AppointmentBook, AuditAction.Create, "Appointment");

    private static async Task<IResult> BookAsync(string clinicId, HttpContext http, IGrainFactory grains, IFhirHost host)
    {
        var (body, invalid) = await FhirBody.ReadAsync<Resource>(http.Request, "Appointment or Parameters");
        if (body is null)
        {
            return invalid!;
        }

        var (appointment, cancelledId, problem) = Input(body);
        if (appointment is null)
        {
            return FhirOutcomes.Invalid(problem!);
        }

        return cancelledId is null
            ? await FhirBooking.BookAsync(http, clinicId, appointment)
            : await RescheduleAsync(http, clinicId, grains, host, appointment, cancelledId);
    }

    private static (Hl7.Fhir.Model.Appointment?, string?, string?) Input(Resource body)
    {
        if (body is Hl7.Fhir.Model.Appointment bare)
        {
            return (bare, null, null);
        }

        if (body is not Parameters parameters || parameters.Parameter.Any(p => p.Name is not ("cancelled-appt-id" or "appointment-resource" or "appt-resource")))
        {
            return (null, null, "$book takes an Appointment, or Parameters with appointment-resource and optionally cancelled-appt-id.");
        }

        var resources = parameters.Parameter.Where(p => ResourceNames.Contains(p.Name)).ToList();
        var cancelled = parameters.Parameter.Where(p => p.Name == "cancelled-appt-id").ToList();
        if (resources is not [{ Resource: Hl7.Fhir.Model.Appointment appointment }] || cancelled.Count > 1)
        {
            return (null, null, "Parameters: one appointment-resource (an Appointment) and at most one cancelled-appt-id.");
        }

        if (cancelled is [var c])
        {
            var text = c.Value switch { Id i => i.Value, FhirString s => s.Value, ResourceReference r => r.Reference, _ => null } ?? "";
            var id = text.StartsWith("Appointment/", StringComparison.Ordinal) ? text["Appointment/".Length..] : text;
            return Identifiers.IsValid(id) ? (appointment, id, null) : (null, null, "cancelled-appt-id: an Appointment id.");
        }

        return (appointment, null, null);
    }

    private static async Task<IResult> RescheduleAsync(HttpContext http, string clinicId, IGrainFactory grains, IFhirHost host,
        Hl7.Fhir.Model.Appointment wanted, string appointmentId)
    {
        var (command, problem) = BookingRequest.From(wanted);
        if (command is null)
        {
            return FhirOutcomes.Invalid(problem!);
        }

        host.NoteResource(http, appointmentId);
        var grain = grains.GetGrain<IAppointmentGrain>(ClinicScopedKey.Format(clinicId, appointmentId));
        if (await grain.GetAsync() is not { } current)
        {
            return FhirOutcomes.NotFound("Appointment");
        }

        host.NotePatient(http, current.PatientId);
        if (current.PatientId != command.PatientId || current.ProviderId != command.ProviderId
            || !string.Equals(current.AppointmentType, command.AppointmentType, StringComparison.OrdinalIgnoreCase))
        {
            return FhirOutcomes.Error(StatusCodes.Status422UnprocessableEntity,
                "A reschedule keeps the patient, the practitioner and the visit type of cancelled-appt-id.");
        }

        var result = await grain.RescheduleAsync(command.Start);
        return result.Value is { } moved
            ? FhirVersions.Result(AppointmentMapper.ToFhir(moved, host.MayReadClinicalText(http, clinicId)))
            : FhirErrors.From(result.Error!);
    }
}
