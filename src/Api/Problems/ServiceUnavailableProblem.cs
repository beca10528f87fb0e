using Microsoft.AspNetCore.Mvc;

namespace ClinicCluster.Api.Problems;

/// <summary>
/// The one shape of a 503: problem details of a given type with a Retry-After, shared by every
/// handler of a dependency that is down for a moment (the cluster, the database).
/// </summary>
internal static class ServiceUnavailableProblem
{
    public static ValueTask<bool> WriteAsync(IProblemDetailsService problems, HttpContext httpContext, int retryAfterSeconds, string type, string detail)
    {
        httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        httpContext.Response.Headers.RetryAfter = retryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var problem = new ProblemDetails
        {
            Status = StatusCodes.Status503ServiceUnavailable,
            Title = "Service unavailable",
            Type = ApiResults.ProblemTypeBase + type,
            Detail = detail,
        };
        return problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem });
    }
}
