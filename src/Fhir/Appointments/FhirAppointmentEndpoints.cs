using ClinicCluster.Audit;
using ClinicCluster.Common;
using ClinicCluster.Fhir.Hosting;
using ClinicCluster.Scheduling;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace ClinicCluster.Fhir.Appointments;

/// <summary>Appointment read: the native appointment grain's <c>GetAsync</c>, the native permission and audit.</summary>
public static class FhirAppointmentEndpoints
{
    public static void Map(RouteGroupBuilder fhir, IFhirHost host) =>
        host.Secure(fhir.MapGet("/Appointment/{appointmentId}", Read).WithName("FhirReadAppointment"), FhirAccess.AppointmentRead, AuditAction.Read, "Appointment");

    private static async Task<IResult> Read(string clinicId, string appointmentId, HttpContext http, IGrainFactory grains, IFhirHost host)
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
        return FhirVersions.Result(AppointmentMapper.ToFhir(appointment, host.MayReadClinicalText(http, clinicId)));
    }
}
