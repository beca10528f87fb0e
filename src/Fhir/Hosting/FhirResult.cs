using System.Text.Json;
using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;

namespace ClinicCluster.Fhir.Hosting;

/// <summary>
/// A FHIR resource as the response, in <c>application/fhir+json</c>. Carries its status for the
/// audit filter (<see cref="IStatusCodeHttpResult"/>), like the native results do.
/// </summary>
public sealed class FhirResult(Resource resource, int statusCode = StatusCodes.Status200OK) : IResult, IStatusCodeHttpResult
{
    public Resource Resource { get; } = resource;

    public int StatusCode { get; } = statusCode;

    /// <summary>Response headers beside the body (ETag, Location, Last-Modified).</summary>
    public Dictionary<string, string> Headers { get; } = new(StringComparer.OrdinalIgnoreCase);

    int? IStatusCodeHttpResult.StatusCode => StatusCode;

    public async System.Threading.Tasks.Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.StatusCode = StatusCode;
        foreach (var (name, value) in Headers)
        {
            httpContext.Response.Headers[name] = value;
        }

        httpContext.Response.ContentType = FhirJson.MediaType + "; charset=utf-8";

        // Straight into the response pipe's buffer, then one flush: the SDK's converters are
        // synchronous, so SerializeAsync to the body stream only added a buffer and a copy (issue 23's profile).
        var body = httpContext.Response.BodyWriter;
        FhirJson.Write(body, Resource);
        await body.FlushAsync(httpContext.RequestAborted);
    }
}
