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
        var patientId = details.PatientId ?? route["patientId"] as string ?? PatientOf(resultValue);
        var resourceId = route["appointmentId"] as string ?? route["patientId"] as string ?? IdOf(resultValue);
        var user = http.User;
        var authenticated = user.Identity?.IsAuthenticated == true;
        var clinicId = route["clinicId"] as string ?? "";

        return new AuditEvent(
            EventId: Guid.CreateVersion7(),
            RecordedAt: clock.GetUtcNow(),
            ClinicId: clinicId,
            Action: outcome == AuditOutcome.Denied && !authenticated ? AuditAction.LoginFailure : declaration.Action,
            Outcome: outcome,
            Actor: new AuditActor(
                Subject: authenticated ? user.FindFirstValue(ClinicClaims.Subject) : null,
                Role: authenticated ? string.Join(",", user.RolesIn(clinicId)) : null,
                ClientAddress: http.Connection.RemoteIpAddress?.ToString(),
                UserAgent: Truncate(http.Request.Headers.UserAgent.ToString(), 256)),
            PatientId: patientId,
            ResourceType: declaration.ResourceType,
            ResourceId: resourceId,
            Operation: http.GetEndpoint()?.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName ?? "unknown",
            HttpStatus: status,
            PurposeOfUse: Truncate(http.Request.Headers[PurposeOfUseHeader].ToString(), 32) ?? "TREAT",
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

    private static string? Truncate(string value, int length) =>
        value.Length == 0 ? null : value.Length <= length ? value : value[..length];
}
