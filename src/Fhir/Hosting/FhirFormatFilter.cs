using ClinicCluster.Common;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace ClinicCluster.Fhir.Hosting;

/// <summary>
/// Content negotiation for every FHIR interaction: JSON only. <c>_format</c> (which overrides
/// Accept) and Accept may ask for FHIR JSON or plain JSON; XML or anything else is 406. A request
/// with a body must say it is a form (POST _search) or FHIR JSON (routes marked <see cref="FhirJsonBody"/>): anything else is 415.
/// </summary>
public sealed class FhirFormatFilter : IEndpointFilter
{
    public const string FormMediaType = "application/x-www-form-urlencoded";

    private static readonly string[] JsonFormats = ["json", "application/json", FhirJson.MediaType];
    private static readonly string[] BodyFormats = ["application/json", FhirJson.MediaType];

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next) =>
        Refusal(context.HttpContext.Request) ?? await next(context);

    public static FhirResult? Refusal(HttpRequest request)
    {
        if (request.Query.TryGetValue("_format", out var formats))
        {
            if (formats.Count != 1 || FreeText.Problem(formats[0]!, 64) is not null)
            {
                return FhirOutcomes.Invalid("Parameter '_format': give one format of at most 64 printable characters.");
            }

            if (!JsonFormats.Contains(MediaTypeOf(formats[0]!), StringComparer.OrdinalIgnoreCase))
            {
                return FhirOutcomes.Error(StatusCodes.Status406NotAcceptable);
            }
        }
        else if (!AcceptsJson(request))
        {
            return FhirOutcomes.Error(StatusCodes.Status406NotAcceptable);
        }

        var metadata = request.HttpContext.GetEndpoint()?.Metadata;
        if ((HttpMethods.IsPost(request.Method) || HttpMethods.IsPut(request.Method)) && metadata?.GetMetadata<FhirIgnoresBody>() is null)
        {
            // A resource body (create, update, an operation's Parameters) is FHIR JSON; POST _search is a form.
            var json = metadata?.GetMetadata<FhirJsonBody>() is not null;
            var mediaType = MediaTypeHeaderValue.TryParse(request.ContentType, out var type) ? type.MediaType.Value : null;
            if (json ? !BodyFormats.Contains(mediaType, StringComparer.OrdinalIgnoreCase) : !string.Equals(mediaType, FormMediaType, StringComparison.OrdinalIgnoreCase))
            {
                return FhirOutcomes.Error(StatusCodes.Status415UnsupportedMediaType, json
                    ? "This interaction takes a FHIR resource as application/fhir+json (or application/json)."
                    : "POST _search takes its parameters as application/x-www-form-urlencoded.");
            }
        }

        return null;
    }

    private static bool AcceptsJson(HttpRequest request)
    {
        var accept = request.Headers.Accept;
        if (accept.Count == 1 && (BodyFormats.Contains(accept[0], StringComparer.OrdinalIgnoreCase) || accept[0] == "*/*"))
        {
            // The common exact values need no media-type parsing on every request.
            return true;
        }

        if (accept.Count == 0 || !MediaTypeHeaderValue.TryParseList(accept, out var types) || types.Count == 0)
        {
            // No Accept (or one we cannot read) means anything: we answer FHIR JSON.
            return accept.Count == 0;
        }

        return types.Any(t => t.Quality is not 0 && t.MediaType.Value is { } m
            && (m is "*/*" or "application/*" || JsonFormats.Contains(m, StringComparer.OrdinalIgnoreCase)));
    }

    // "_format=application/fhir+json; fhirVersion=4.0" names the same format.
    private static string MediaTypeOf(string format) => format.Split(';', 2)[0].Trim();
}
