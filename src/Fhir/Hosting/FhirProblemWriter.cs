using System.Text.Json;
using ClinicCluster.Fhir.Smart;
using Microsoft.AspNetCore.Http;

namespace ClinicCluster.Fhir.Hosting;

/// <summary>
/// Under <c>/fhir</c>, every problem the host writes (401/403 from authorization, a 404 from the
/// clinic scope or routing, 413, 429 from the edge limits, 503 from the exception handlers) becomes
/// an OperationOutcome. Registered ahead of the default writer; its diagnostics are fixed per status,
/// so no detail a native handler wrote (which may quote a parameter) reaches a FHIR client.
/// </summary>
public sealed class FhirProblemWriter : IProblemDetailsWriter
{
    public const string PathPrefix = "/fhir";

    public bool CanWrite(ProblemDetailsContext context) =>
        context.HttpContext.Request.Path.StartsWithSegments(PathPrefix, StringComparison.OrdinalIgnoreCase);

    public async ValueTask WriteAsync(ProblemDetailsContext context)
    {
        var http = context.HttpContext;
        var status = context.ProblemDetails.Status ?? http.Response.StatusCode;
        var diagnostics = FhirOutcomes.DefaultDiagnostics(status);
        if (status == StatusCodes.Status403Forbidden && SmartScopeHandler.MissingScope(http) is { } scope)
        {
            // RFC 6750: the token lacks a scope (named by us, from the route: not a submitted value).
            diagnostics = scope.Length == 0
                ? "The token's SMART scopes do not allow this interaction."
                : $"The token's SMART scopes do not allow this interaction (needs {scope}).";
            http.Response.Headers.WWWAuthenticate = "Bearer error=\"insufficient_scope\"";
        }
        else if (context.ProblemDetails.Extensions.TryGetValue("code", out var code) && code is string slug && IsSlug(slug))
        {
            diagnostics = $"{diagnostics} ({slug})";
        }

        var outcome = FhirOutcomes.Outcome(status, diagnostics);
        http.Response.ContentType = FhirJson.MediaType + "; charset=utf-8";
        await JsonSerializer.SerializeAsync(http.Response.Body, outcome, FhirJson.Options, http.RequestAborted);
    }

    // The native error codes are our own kebab-case names; anything else is not repeated.
    private static bool IsSlug(string value) =>
        value.Length is > 0 and <= 64 && value.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-');
}
