using ClinicCluster.Audit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace ClinicCluster.Fhir;

/// <summary>
/// What the FHIR facade needs from the API host, so that it runs on the native path without this
/// project depending on the API (the API references it): the clinic route group with the native
/// filters (one audit event per request, transient retry, the clinic scope), the native permission
/// policies and audit declarations, and the audit details a search discloses.
/// </summary>
public interface IFhirHost
{
    /// <summary>A group under <c>/fhir/clinics/{clinicId:id}</c> with the native audit, retry and clinic-scope filters.</summary>
    RouteGroupBuilder MapClinicGroup(IEndpointRouteBuilder routes, string prefix);

    /// <summary>Requires the native permission and declares the audit event (the start-up coverage check sees it).</summary>
    RouteHandlerBuilder Secure(RouteHandlerBuilder route, FhirAccess access, AuditAction action, string resourceType);

    /// <summary>Requires the native permission of a route that reaches no PHI (not audited, as natively).</summary>
    RouteHandlerBuilder Require(RouteHandlerBuilder route, FhirAccess access);

    /// <summary>Records what a search ran (its kind, never its text) and the patients the page discloses.</summary>
    void NoteSearch(HttpContext http, string? queryKind, IReadOnlyCollection<string> disclosedPatientIds);

    /// <summary>Records the patient a read is about (an appointment's patient).</summary>
    void NotePatient(HttpContext http, string patientId);

    /// <summary>Records an audit-trail query: the patient it is about, its kind and how many records the page returned.</summary>
    void NoteQuery(HttpContext http, string? patientId, string? queryKind, int resultCount);

    /// <summary>Whether the caller's role in the clinic may read clinical text (an appointment's reason).</summary>
    bool MayReadClinicalText(HttpContext http, string clinicId);

    /// <summary>Whether the caller's role in the clinic grants <paramref name="access"/> (a FHIR update needs the permission of the change it makes).</summary>
    bool Allows(HttpContext http, string clinicId, FhirAccess access);

    /// <summary>Records the id of the resource a write or an operation is about, when the route does not name it.</summary>
    void NoteResource(HttpContext http, string resourceId);

    /// <summary>Marks a route that creates under a new id: never retried after a transient failure unless the request carries an Idempotency-Key.</summary>
    RouteHandlerBuilder Creates(RouteHandlerBuilder route);
}

/// <summary>The native permissions FHIR interactions map to.</summary>
public enum FhirAccess
{
    ClinicRead,
    PatientRead,
    AppointmentRead,
    AppointmentBook,
    AppointmentAttend,
    AppointmentComplete,
    AuditRead,
}
