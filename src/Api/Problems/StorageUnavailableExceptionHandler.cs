using ClinicCluster.Common;
using Microsoft.AspNetCore.Diagnostics;

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
        return await ServiceUnavailableProblem.WriteAsync(problems, httpContext, retryAfterSeconds: 2, "storage-unavailable",
            "The database is not available right now; retry shortly.");
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Storage unavailable (SQLSTATE {SqlState}); answered 503")]
    private static partial void LogUnavailable(ILogger logger, string sqlState);
}
