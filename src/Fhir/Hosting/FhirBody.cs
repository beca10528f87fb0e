using System.Text.Json;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Microsoft.AspNetCore.Http;

namespace ClinicCluster.Fhir.Hosting;

/// <summary>Marks a route whose body is a FHIR resource in JSON (create, update, an operation), not a search form.</summary>
public sealed record FhirJsonBody;

/// <summary>Marks a route that answers without reading any body (an operation not offered): its body type is not checked.</summary>
public sealed record FhirIgnoresBody;

/// <summary>
/// Reads a request body as one FHIR resource with the SDK's deserializer. Anything it cannot read
/// (not JSON, too deep, an unknown element, a wrong type) is a 400 whose diagnostics name no part of the body.
/// </summary>
public static class FhirBody
{
    public static async Task<(T? Resource, FhirResult? Error)> ReadAsync<T>(HttpRequest request, string expected)
        where T : Resource
    {
        Resource? resource;
        try
        {
            resource = await JsonSerializer.DeserializeAsync<Resource>(request.Body, FhirJson.Options, request.HttpContext.RequestAborted);
        }
        catch (Exception exception) when (exception is JsonException or DeserializationFailedException or NotSupportedException
            or InvalidOperationException or FormatException or ArgumentException)
        {
            return (null, FhirOutcomes.Invalid($"The body is not a valid FHIR R4 {expected} in JSON."));
        }

        return resource is T typed
            ? (typed, null)
            : (null, FhirOutcomes.Invalid($"The body is not a valid FHIR R4 {expected} in JSON."));
    }
}
