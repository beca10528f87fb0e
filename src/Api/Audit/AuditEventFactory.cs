using System.Diagnostics;
using System.Security.Claims;
using ClinicCluster.Api.Auth;
using ClinicCluster.Api.Endpoints;
using ClinicCluster.Audit;
using ClinicCluster.Patients;
using ClinicCluster.Scheduling;

namespace ClinicCluster.Api.Audit;

/// <summary>Builds the audit event of one HTTP exchange from the route, the caller and the result.</summary>
public sealed class AuditEventFactory(TimeProvider clock)
{
    /// <summary>The header a caller may use to state why it accesses the record (HL7 PurposeOfUse code).</summary>
    public const string PurposeOfUseHeader = "X-Purpose-Of-Use";

    public AuditEvent Create(HttpContext http, AuditDeclaration declaration, AuditOutcome outcome, int status, object? resultValue)
    {
        var details = AuditDetails.Of(http);
        var route = http.Request.RouteValues;
        // Route ids passed the id constraint; a body id (details.PatientId) may not have been validated yet.
        var patientId = AuditValues.Id(details.PatientId ?? route["patientId"] as string ?? PatientOf(resultValue));
        var resourceId = AuditValues.Id(route["appointmentId"] as string ?? route["patientId"] as string ?? details.ResourceId ?? IdOf(resultValue));
        var user = http.User;
        var authenticated = user.Identity?.IsAuthenticated == true;
        var clinicId = route["clinicId"] as string ?? "";

        return new AuditEvent(
            EventId: Guid.CreateVersion7(),
            RecordedAt: clock.GetUtcNow(),
            ClinicId: AuditValues.Id(clinicId) ?? "",
            Action: outcome == AuditOutcome.Denied && !authenticated ? AuditAction.LoginFailure : declaration.Action,
            Outcome: outcome,
            Actor: new AuditActor(
                Subject: authenticated ? AuditValues.Text(user.FindFirstValue(ClinicClaims.Subject) ?? "", 256) : null,
                Role: authenticated ? AuditValues.Text(string.Join(",", user.RolesIn(clinicId)), 256) : null,
                ClientAddress: http.Connection.RemoteIpAddress?.ToString(),
                UserAgent: AuditValues.Text(http.Request.Headers.UserAgent.ToString(), 256)),
            PatientId: patientId,
            ResourceType: declaration.ResourceType,
            ResourceId: resourceId,
            Operation: http.GetEndpoint()?.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName ?? "unknown",
            HttpStatus: status,
            PurposeOfUse: AuditValues.PurposeOfUse(http.Request.Headers[PurposeOfUseHeader].ToString()) ?? "TREAT",
            CorrelationId: Activity.Current?.TraceId.ToString() ?? http.TraceIdentifier,
            QueryKind: details.QueryKind,
            ResultCount: details.ResultCount,
            DisclosedPatientIds: details.DisclosedPatientIds);
    }

    private static string? PatientOf(object? value) => value switch
    {
        Patient patient => patient.Id,
        Appointment appointment => appointment.PatientId,
        _ => null,
    };

    private static string? IdOf(object? value) => value switch
    {
        Patient patient => patient.Id,
        Appointment appointment => appointment.Id,
        _ => null,
    };
}
