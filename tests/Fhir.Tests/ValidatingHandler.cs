using System.Net.Http.Headers;
using ClinicCluster.Fhir.Hosting;
using Hl7.Fhir.Model;

namespace ClinicCluster.Fhir.Tests;

/// <summary>
/// Sits in every test client's pipeline: each FHIR response body (resource, Bundle,
/// OperationOutcome, CapabilityStatement) is parsed with the SDK and validated against R4 before
/// the test sees it; one that does not validate fails the request, so no test can skip it.
/// </summary>
public sealed class ValidatingHandler : DelegatingHandler
{
    private static int _validated;

    /// <summary>How many response bodies were validated (the suite checks it is not zero).</summary>
    public static int Validated => _validated;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        if (response.Content.Headers.ContentType is { MediaType: FhirJson.MediaType })
        {
            await response.Content.LoadIntoBufferAsync(cancellationToken);
            var json = await response.Content.ReadAsStringAsync(cancellationToken);
            var resource = FhirJson.Deserialize<Resource>(json);
            var problems = FhirValidation.Problems(resource);
            if (problems.Count > 0)
            {
                throw new InvalidOperationException(
                    $"{request.Method} {request.RequestUri?.AbsolutePath} answered {(int)response.StatusCode} with a {resource.TypeName} that does not validate:\n{string.Join("\n", problems)}");
            }

            Interlocked.Increment(ref _validated);
        }
        else if (request.RequestUri?.AbsolutePath.StartsWith("/fhir", StringComparison.Ordinal) == true && response.Content.Headers.ContentLength != 0
            && !request.RequestUri.AbsolutePath.EndsWith(Smart.SmartConfiguration.Route, StringComparison.Ordinal)
            && response.Content.Headers.ContentType is not null)
        {
            throw new InvalidOperationException($"A FHIR route answered {response.Content.Headers.ContentType}, not {FhirJson.MediaType}.");
        }

        return response;
    }

    public static MediaTypeWithQualityHeaderValue FhirJsonAccept { get; } = new(FhirJson.MediaType);
}
