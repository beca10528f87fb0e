using Hl7.Fhir.Model;

namespace ClinicCluster.Fhir.Smart;

/// <summary>The CapabilityStatement's <c>rest.security</c>: SMART on FHIR, with what it means here.</summary>
public static class SmartSecurity
{
    public static CapabilityStatement.SecurityComponent Component() => new()
    {
        Service =
        [
            new CodeableConcept("http://terminology.hl7.org/CodeSystem/restful-security-service", "SMART-on-FHIR", "SMART-on-FHIR"),
        ],
        Description = "OAuth2 bearer tokens with SMART on FHIR v2 user/ scopes (see .well-known/smart-configuration). "
            + "Effective access is the token's scopes intersected with the caller's role in this clinic; "
            + "a token without scopes, or with patient/ or system/ scopes or scope query constraints, is refused (403).",
    };
}
