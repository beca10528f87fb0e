using Orleans.Runtime;

namespace ClinicCluster.Api.Endpoints;

/// <summary>
/// Retries a request whose grain call failed because a silo left the cluster mid-call (a rolling
/// update, a crash): the grain reactivates on a survivor, and the client sees a success instead of
/// a 503. Only on endpoints that are safe to repeat: reads, replacements, transitions (a repeated
/// transition is a no-op) and bookings that carry an Idempotency-Key.
/// </summary>
public sealed partial class TransientRetryFilter(ILogger<TransientRetryFilter> logger) : IEndpointFilter
{
    private static readonly TimeSpan[] Delays = [TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(400), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)];

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var repeatable = http.GetEndpoint()?.Metadata.GetMetadata<NotIdempotent>() is not { } creates
            || (creates.HonoursIdempotencyKey && http.Request.Headers.ContainsKey(AppointmentsApi.IdempotencyKeyHeader));
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await next(context);
            }
            catch (Exception exception) when (repeatable && attempt < Delays.Length && IsTransient(exception))
            {
                LogRetry(logger, exception.GetType().Name, attempt + 1);
                await Task.Delay(Delays[attempt], http.RequestAborted);
            }
        }
    }

    public static bool IsTransient(Exception exception) =>
        exception is SiloUnavailableException or OrleansMessageRejectionException or TimeoutException
            or Orleans.Runtime.Messaging.ConnectionFailedException

            // Two activations of one grain during a membership change: the stale one's write lost
            // on its ETag. The request did nothing and is safe to repeat on the surviving activation.
            or Orleans.Storage.InconsistentStateException;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cluster call failed ({ExceptionType}); retry {Attempt}")]
    private static partial void LogRetry(ILogger logger, string exceptionType, int attempt);
}

/// <summary>
/// Marks an endpoint that creates something under a new id, so repeating it could create a second
/// one: never retried, unless it honours the Idempotency-Key header and the request carries one.
/// </summary>
public sealed record NotIdempotent(bool HonoursIdempotencyKey = false);
