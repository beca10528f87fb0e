using ClinicCluster.Common;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace ClinicCluster.Api.Problems;

/// <summary>
/// A grain could not reach PostgreSQL (too many connections, a failover, a timeout): the request
/// may succeed in a moment, so 503 with Retry-After, never a 500.
/// </summary>
public sealed partial class StorageUnavailableExceptionHandler(IProblemDetailsService problems, ILogger<StorageUnavailableExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not StorageUnavailableException unavailable)
        {
            return false;
        }

        LogUnavailable(logger, unavailable.SqlState ?? "none");
        httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        httpContext.Response.Headers.RetryAfter = "2";
        var problem = new ProblemDetails
        {
            Status = StatusCodes.Status503ServiceUnavailable,
            Title = "Service unavailable",
            Type = ApiResults.ProblemTypeBase + "storage-unavailable",
            Detail = "The database is not available right now; retry shortly.",
        };
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem });
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Storage unavailable (SQLSTATE {SqlState}); answered 503")]
    private static partial void LogUnavailable(ILogger logger, string sqlState);
}
