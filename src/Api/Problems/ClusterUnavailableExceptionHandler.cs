using Microsoft.AspNetCore.Diagnostics;

namespace ClinicCluster.Api.Problems;

/// <summary>
/// While silos join or leave, a grain call can fail or time out, and an audit event may not be
/// enqueued. That is the cluster's state, not a bug in the request: answer 503 with Retry-After
/// so clients and load balancers retry.
/// </summary>
public sealed partial class ClusterUnavailableExceptionHandler(IProblemDetailsService problems, ILogger<ClusterUnavailableExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (!Endpoints.TransientRetryFilter.IsTransient(exception) && exception is not Audit.AuditUnavailableException
            && !ExpiredInTheCluster(exception, httpContext))
        {
            return false;
        }

        LogUnavailable(logger, exception.GetType().Name);
        return await ServiceUnavailableProblem.WriteAsync(problems, httpContext, retryAfterSeconds: 1, "cluster-unavailable",
            "The scheduling cluster is not reachable right now; retry shortly.");
    }

    // Orleans cancels a call whose message expired before placement finished (its silo was being
    // declared dead, found by the partition drill). The caller did not cancel, so it is the cluster's state.
    private static bool ExpiredInTheCluster(Exception exception, HttpContext httpContext) =>
        exception is OperationCanceledException && !httpContext.RequestAborted.IsCancellationRequested;

    // Only the exception type: messages from the runtime can carry grain keys.
    [LoggerMessage(Level = LogLevel.Warning, Message = "Cluster unavailable ({ExceptionType}); answered 503")]
    private static partial void LogUnavailable(ILogger logger, string exceptionType);
}
