using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace ClinicCluster.Api.Problems;

/// <summary>
/// Requests that cannot even be read (malformed JSON, a missing required field, a query value of
/// the wrong type) become 400 problems naming the field. The offending value is never echoed:
/// it may be PHI.
/// </summary>
public sealed partial class BadRequestExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        // A body over the route's limit surfaces from inside the JSON reader, wrapped.
        var badRequest = exception as BadHttpRequestException ?? exception.InnerException as BadHttpRequestException
            ?? exception.GetBaseException() as BadHttpRequestException;
        if (badRequest is null)
        {
            return false;
        }

        var (field, message) = badRequest.StatusCode == StatusCodes.Status413PayloadTooLarge
            ? ("body", "The request body is larger than this route accepts.")
            : Describe(badRequest);
        httpContext.Response.StatusCode = badRequest.StatusCode;
        var problem = new HttpValidationProblemDetails(new Dictionary<string, string[]> { [field] = [message] })
        {
            Status = badRequest.StatusCode,
            Type = ApiResults.ProblemTypeBase + "validation",
            Detail = badRequest.StatusCode == StatusCodes.Status413PayloadTooLarge ? "The request body is too large." : "The request could not be read.",
        };
        problem.Extensions["code"] = badRequest.StatusCode == StatusCodes.Status413PayloadTooLarge ? "body-too-large" : "validation";
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem, Exception = exception });
    }

    private static (string Field, string Message) Describe(BadHttpRequestException exception)
    {
        if (exception.InnerException is JsonException json)
        {
            var missing = MissingPropertyPattern().Match(json.Message);
            if (missing.Success)
            {
                var field = FieldOf(json.Path);
                var name = missing.Groups["name"].Value;
                return (field.Length == 0 ? name : $"{field}.{name}", "Required.");
            }

            return (FieldOf(json.Path), json.Message.Contains("null", StringComparison.Ordinal) && json.Message.Contains("non-nullable", StringComparison.Ordinal)
                ? "Required."
                : "Has the wrong type or format.");
        }

        var parameter = ParameterPattern().Match(exception.Message);
        if (parameter.Success)
        {
            return (parameter.Groups["name"].Value, exception.Message.Contains("not provided", StringComparison.Ordinal)
                ? "Required."
                : "Has the wrong type or format.");
        }

        return ("body", exception.Message.Contains("body", StringComparison.OrdinalIgnoreCase)
            ? "A JSON request body is required."
            : "The request could not be read.");
    }

    /// <summary>"$.appointmentTypes[0].durationMinutes" becomes "appointmentTypes[0].durationMinutes".</summary>
    private static string FieldOf(string? path) => path is null or "$" ? "" : path.TrimStart('$', '.');

    [GeneratedRegex("missing required properties including: '(?<name>[^']+)'")]
    private static partial Regex MissingPropertyPattern();

    [GeneratedRegex("parameter \"[^\" ]+ (?<name>[A-Za-z0-9_]+)\"")]
    private static partial Regex ParameterPattern();
}
