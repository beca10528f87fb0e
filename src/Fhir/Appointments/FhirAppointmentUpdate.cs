using ClinicCluster.Audit;
using ClinicCluster.Common;
using ClinicCluster.Fhir.Hosting;
using ClinicCluster.Scheduling;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Net.Http.Headers;
using FhirAppointment = Hl7.Fhir.Model.Appointment;

namespace ClinicCluster.Fhir.Appointments;

/// <summary>
/// <c>PUT Appointment/{id}</c>: a versioned update (If-Match required: missing 428, stale 412) that
/// makes one of the native verbs' changes (<see cref="AppointmentChange"/>) through the same grain
/// methods, conditional on the version in the grain's own turn; and <c>vread</c> of the current version.
/// </summary>
public static class FhirAppointmentUpdate
{
    public static void Map(RouteGroupBuilder fhir, IFhirHost host)
    {
        host.Secure(fhir.MapPut("/Appointment/{appointmentId}", UpdateAsync).WithName("FhirUpdateAppointment").WithMetadata(new FhirJsonBody()),
            FhirAccess.AppointmentRead, AuditAction.Update, "Appointment");
        host.Secure(fhir.MapGet("/Appointment/{appointmentId}/_history/{versionId}", VreadAsync).WithName("FhirVreadAppointment"),
            FhirAccess.AppointmentRead, AuditAction.Read, "Appointment");
    }

    private static async Task<IResult> UpdateAsync(string clinicId, string appointmentId, HttpContext http, IGrainFactory grains, IFhirHost host)
    {
        if (!Identifiers.IsValid(appointmentId))
        {
            return FhirOutcomes.Invalid("The Appointment id is not a valid id.");
        }

        if (http.Request.Headers[HeaderNames.IfMatch] is not { Count: > 0 } ifMatch)
        {
            return FhirOutcomes.Error(StatusCodes.Status428PreconditionRequired, "An update needs If-Match with the version read (W/\"n\").");
        }

        if (ifMatch.Count != 1 || FhirVersions.Parse(ifMatch[0]) is not { } expected)
        {
            return FhirOutcomes.Invalid("If-Match: give one version as W/\"n\".");
        }

        var (sent, invalid) = await FhirBody.ReadAsync<FhirAppointment>(http.Request, "Appointment");
        if (sent is null)
        {
            return invalid!;
        }

        if (sent.Id != appointmentId)
        {
            return FhirOutcomes.Invalid("The body's id must be the id in the URL.");
        }

        var grain = grains.GetGrain<IAppointmentGrain>(ClinicScopedKey.Format(clinicId, appointmentId));
        if (await grain.GetAsync() is not { } current)
        {
            return FhirOutcomes.NotFound("Appointment");
        }

        host.NotePatient(http, current.PatientId);
        if (Math.Max(1, current.Version) != expected)
        {
            return FhirOutcomes.Error(StatusCodes.Status412PreconditionFailed, "The appointment changed since the version in If-Match; read it and try again.");
        }

        var clinicalText = host.MayReadClinicalText(http, clinicId);
        var (change, refusal) = AppointmentChange.Decide(current, sent, clinicalText);
        if (change is null)
        {
            return FhirOutcomes.Error(StatusCodes.Status422UnprocessableEntity, refusal);
        }

        if (!host.Allows(http, clinicId, change.Access))
        {
            return FhirOutcomes.Error(StatusCodes.Status403Forbidden);
        }

        var result = change.Kind switch
        {
            ChangeKind.Status => await grain.ChangeStatusAsync(change.Target, expected),
            ChangeKind.Cancel => await grain.CancelAsync(change.Reason, change.Code, expected),
            ChangeKind.Reschedule => await grain.RescheduleAsync(change.NewStart, expected),
            _ => current,
        };
        return result.Value is { } updated
            ? FhirVersions.Result(AppointmentMapper.ToFhir(updated, clinicalText))
            : FhirErrors.From(result.Error!);
    }

    // Only the current version is kept (the ledger row is the appointment): an older one is 404.
    private static async Task<IResult> VreadAsync(string clinicId, string appointmentId, string versionId, HttpContext http, IGrainFactory grains, IFhirHost host)
    {
        if (!Identifiers.IsValid(appointmentId))
        {
            return FhirOutcomes.Invalid("The Appointment id is not a valid id.");
        }

        if (await grains.GetGrain<IAppointmentGrain>(ClinicScopedKey.Format(clinicId, appointmentId)).GetAsync() is not { } appointment)
        {
            return FhirOutcomes.NotFound("Appointment");
        }

        host.NotePatient(http, appointment.PatientId);
        var resource = AppointmentMapper.ToFhir(appointment, host.MayReadClinicalText(http, clinicId));
        return resource.Meta!.VersionId == versionId
            ? FhirVersions.Result(resource)
            : FhirOutcomes.Error(StatusCodes.Status404NotFound, "Only the current version of an Appointment is kept.");
    }
}
