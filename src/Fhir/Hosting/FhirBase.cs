using Microsoft.AspNetCore.Http;

namespace ClinicCluster.Fhir.Hosting;

/// <summary>The FHIR base URL of a clinic, <c>/fhir/clinics/{clinicId}</c>, absolute for links and fullUrls.</summary>
public static class FhirBase
{
    public const string Route = "/fhir/clinics/{clinicId:id}";

    public static string Of(HttpRequest request, string clinicId) =>
        $"{request.Scheme}://{request.Host}{request.PathBase}/fhir/clinics/{clinicId}";

    /// <summary>The caller's subject (the token's <c>sub</c>); a search cursor belongs to it.</summary>
    public static string Subject(HttpContext http) => http.User.FindFirst("sub")?.Value ?? "";
}
