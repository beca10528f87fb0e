using ClinicCluster.Api.Audit;
using ClinicCluster.Api.Auth;
using ClinicCluster.Audit;
using ClinicCluster.Fhir;

namespace ClinicCluster.Api.Endpoints;

/// <summary>
/// The API's side of the FHIR facade (src/Fhir): its routes get the native clinic filters, the
/// native permission policies and audit declarations, so a FHIR request is authorized, audited
/// (exactly one event) and retried exactly like the native request for the same data.
/// </summary>
public sealed class FhirHost : IFhirHost
{
    public RouteGroupBuilder MapClinicGroup(IEndpointRouteBuilder routes, string prefix) =>
        routes.MapGroup(prefix).WithTags("FHIR").WithClinicFilters();

    public RouteHandlerBuilder Secure(RouteHandlerBuilder route, FhirAccess access, AuditAction action, string resourceType) =>
        route.RequireAuthorization(PermissionOf(access).Policy()).Audited(action, resourceType);

    public RouteHandlerBuilder Require(RouteHandlerBuilder route, FhirAccess access) => route.RequireAuthorization(PermissionOf(access).Policy());

    public void NoteSearch(HttpContext http, string? queryKind, IReadOnlyCollection<string> disclosedPatientIds)
    {
        var audit = AuditDetails.Of(http);
        audit.QueryKind = queryKind;
        if (queryKind is not null)
        {
            audit.ResultCount = disclosedPatientIds.Count;
            audit.Disclosed(disclosedPatientIds);
        }
    }

    public void NotePatient(HttpContext http, string patientId) => AuditDetails.Of(http).PatientId = patientId;

    public void NoteQuery(HttpContext http, string? patientId, string? queryKind, int resultCount)
    {
        var audit = AuditDetails.Of(http);
        (audit.PatientId, audit.QueryKind, audit.ResultCount) = (patientId, queryKind, resultCount);
    }

    public bool MayReadClinicalText(HttpContext http, string clinicId) => http.User.Has(Permission.ClinicalTextRead, clinicId);

    public bool Allows(HttpContext http, string clinicId, FhirAccess access) => http.User.Has(PermissionOf(access), clinicId);

    public void NoteResource(HttpContext http, string resourceId) => AuditDetails.Of(http).ResourceId = resourceId;

    public RouteHandlerBuilder Creates(RouteHandlerBuilder route) => route.WithMetadata(new NotIdempotent(HonoursIdempotencyKey: true));

    private static Permission PermissionOf(FhirAccess access) => access switch
    {
        FhirAccess.ClinicRead => Permission.ClinicRead,
        FhirAccess.PatientRead => Permission.PatientRead,
        FhirAccess.AppointmentRead => Permission.AppointmentRead,
        FhirAccess.AppointmentBook => Permission.AppointmentBook,
        FhirAccess.AppointmentAttend => Permission.AppointmentAttend,
        FhirAccess.AppointmentComplete => Permission.AppointmentComplete,
        FhirAccess.AuditRead => Permission.AuditRead,
        _ => throw new ArgumentOutOfRangeException(nameof(access), access, "A FHIR access without a native permission."),
    };
}
