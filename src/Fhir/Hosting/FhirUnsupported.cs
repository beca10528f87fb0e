using ClinicCluster.Audit;
using ClinicCluster.Fhir.Smart;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace ClinicCluster.Fhir.Hosting;

/// <summary>
/// What the facade does not offer answers <c>not-supported</c> (405) as an OperationOutcome rather
/// than a routing 404 or an id error: DELETE of any resource (an appointment is cancelled, never
/// deleted; a DELETE of a PHI resource is audited as an attempt) and every operation (<c>$name</c>)
/// other than those mapped, at system, type and instance level.
/// </summary>
public static class FhirUnsupported
{
    private static readonly string[] Types = ["Patient", "Appointment", "Practitioner", "Schedule", "{resourceType}"];

    public static void Map(RouteGroupBuilder fhir, IFhirHost host)
    {
        host.Secure(fhir.MapDelete("/Patient/{patientId}", Delete).WithName("FhirDeletePatient").WithMetadata(AnswersNotSupported.Instance), FhirAccess.PatientRead, AuditAction.Delete, "Patient");
        host.Secure(fhir.MapDelete("/Appointment/{appointmentId}", Delete).WithName("FhirDeleteAppointment").WithMetadata(AnswersNotSupported.Instance), FhirAccess.AppointmentRead, AuditAction.Delete, "Appointment");
        host.Require(fhir.MapDelete("/{resourceType}/{id}", Delete).WithName("FhirDeleteResource").WithMetadata(AnswersNotSupported.Instance), FhirAccess.ClinicRead);

        var n = 0;
        foreach (var type in Types)
        {
            foreach (var path in new[] { $"/{type}/${{operation}}", $"/{type}/{{id}}/${{operation}}" })
            {
                host.Require(fhir.MapMethods(path, [HttpMethods.Get, HttpMethods.Post], Operation).WithName($"FhirUnsupportedOperation{n++}").WithMetadata(new FhirIgnoresBody(), AnswersNotSupported.Instance), FhirAccess.ClinicRead);
            }
        }

        host.Require(fhir.MapMethods("/${operation}", [HttpMethods.Get, HttpMethods.Post], Operation).WithName("FhirUnsupportedSystemOperation").WithMetadata(new FhirIgnoresBody(), AnswersNotSupported.Instance), FhirAccess.ClinicRead);
    }

    private static IResult Delete() =>
        FhirOutcomes.Error(StatusCodes.Status405MethodNotAllowed, "DELETE is not supported: appointments are cancelled (PUT with status cancelled), other resources are not deleted here.");

    private static IResult Operation() =>
        FhirOutcomes.Error(StatusCodes.Status405MethodNotAllowed, "This operation is not offered (see the CapabilityStatement for $find and $book).");
}
