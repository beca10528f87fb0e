using ClinicCluster.Common;
using Microsoft.AspNetCore.Http;

namespace ClinicCluster.Fhir.Hosting;

/// <summary>
/// A grain's refusal as an OperationOutcome: the status of its kind, fixed diagnostics with the
/// refusal's own code (our kebab-case names) and, for invalid input, the names of the fields, never their values.
/// </summary>
public static class FhirErrors
{
    /// <summary>Conflicts that mean "the resource changed since you read it": 412 on a conditional request.</summary>
    private static readonly HashSet<string> Stale = [Error.StaleVersionCode, "appointment-changed"];

    public static FhirResult From(Error error)
    {
        var status = error.Kind switch
        {
            ErrorKind.Validation => StatusCodes.Status400BadRequest,
            ErrorKind.NotFound => StatusCodes.Status404NotFound,
            ErrorKind.Conflict when Stale.Contains(error.Code) => StatusCodes.Status412PreconditionFailed,
            ErrorKind.IdempotencyMismatch => StatusCodes.Status422UnprocessableEntity,
            _ => StatusCodes.Status409Conflict,
        };
        var diagnostics = status switch
        {
            StatusCodes.Status412PreconditionFailed => "The resource changed since the version the request names; read it and try again.",
            StatusCodes.Status409Conflict => "The request conflicts with the schedule or the appointment's status.",
            StatusCodes.Status422UnprocessableEntity => "The Idempotency-Key was used before with another request.",
            _ => FhirOutcomes.DefaultDiagnostics(status),
        };
        if (error.Fields is { Count: > 0 } fields && fields.Keys.All(IsSlug))
        {
            diagnostics += " Fields: " + string.Join(", ", fields.Keys.Order(StringComparer.Ordinal)) + ".";
        }

        return FhirOutcomes.Error(status, IsSlug(error.Code) ? $"{diagnostics} ({error.Code})" : diagnostics);
    }

    private static bool IsSlug(string value) =>
        value.Length is > 0 and <= 64 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.');
}
