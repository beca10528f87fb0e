using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Http;

namespace ClinicCluster.Fhir.Hosting;

/// <summary>
/// Every FHIR error as an OperationOutcome with the issue code of its status. Diagnostics are our
/// own fixed sentences (at most naming one of our parameters): never a submitted value, which may be PHI.
/// </summary>
public static class FhirOutcomes
{
    public static FhirResult Invalid(string diagnostics) => Error(StatusCodes.Status400BadRequest, diagnostics);

    public static FhirResult NotFound(string resourceType) => Error(StatusCodes.Status404NotFound, $"No {resourceType} with this id in this clinic.");

    public static FhirResult Error(int status, string? diagnostics = null) =>
        new(Outcome(status, diagnostics ?? DefaultDiagnostics(status)), status);

    public static OperationOutcome Outcome(int status, string diagnostics) => new()
    {
        Issue =
        [
            new OperationOutcome.IssueComponent
            {
                Severity = status >= 500 ? OperationOutcome.IssueSeverity.Fatal : OperationOutcome.IssueSeverity.Error,
                Code = IssueTypeOf(status),
                Diagnostics = diagnostics,
            },
        ],
    };

    public static OperationOutcome.IssueType IssueTypeOf(int status) => status switch
    {
        StatusCodes.Status400BadRequest => OperationOutcome.IssueType.Invalid,
        StatusCodes.Status401Unauthorized => OperationOutcome.IssueType.Login,
        StatusCodes.Status403Forbidden => OperationOutcome.IssueType.Forbidden,
        StatusCodes.Status404NotFound => OperationOutcome.IssueType.NotFound,
        StatusCodes.Status405MethodNotAllowed or StatusCodes.Status406NotAcceptable
            or StatusCodes.Status415UnsupportedMediaType => OperationOutcome.IssueType.NotSupported,
        StatusCodes.Status409Conflict or StatusCodes.Status412PreconditionFailed => OperationOutcome.IssueType.Conflict,
        StatusCodes.Status413PayloadTooLarge => OperationOutcome.IssueType.TooCostly,
        StatusCodes.Status422UnprocessableEntity => OperationOutcome.IssueType.BusinessRule,
        StatusCodes.Status429TooManyRequests => OperationOutcome.IssueType.Throttled,
        StatusCodes.Status503ServiceUnavailable => OperationOutcome.IssueType.Transient,
        >= 500 => OperationOutcome.IssueType.Exception,
        _ => OperationOutcome.IssueType.Processing,
    };

    public static string DefaultDiagnostics(int status) => status switch
    {
        StatusCodes.Status400BadRequest => "The request is not valid.",
        StatusCodes.Status401Unauthorized => "A valid bearer token is required.",
        StatusCodes.Status403Forbidden => "The caller's role in this clinic does not allow this interaction.",
        StatusCodes.Status404NotFound => "Not found.",
        StatusCodes.Status405MethodNotAllowed => "This interaction is not supported on this resource.",
        StatusCodes.Status406NotAcceptable => "Only FHIR JSON is served (application/fhir+json, application/json, _format=json).",
        StatusCodes.Status413PayloadTooLarge => "The request body is larger than this interaction accepts.",
        StatusCodes.Status415UnsupportedMediaType => "The request body's Content-Type is not accepted here.",
        StatusCodes.Status429TooManyRequests => "Too many requests; retry later.",
        StatusCodes.Status503ServiceUnavailable => "The service is temporarily unavailable; retry later.",
        >= 500 => "The server could not complete the request.",
        _ => "The request could not be processed.",
    };
}
