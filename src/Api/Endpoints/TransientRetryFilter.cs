using System.Diagnostics;
using ClinicCluster.Api.Cluster;
using Orleans.Runtime;
using Polly;
using Polly.Registry;

namespace ClinicCluster.Api.Endpoints;

/// <summary>
/// Retries a request whose grain call failed because a silo left the cluster mid-call (a rolling
/// update, a crash): the grain reactivates on a survivor, and the client sees a success instead of
/// a 503. Only on endpoints that are safe to repeat: reads, replacements, transitions (a repeated
/// transition is a no-op) and bookings that carry an Idempotency-Key. The retries themselves are
/// the "cluster-retry" pipeline (<see cref="ClusterRetryExtensions"/>).
/// </summary>
public sealed class TransientRetryFilter(ResiliencePipelineProvider<string> pipelines) : IEndpointFilter
{
    private readonly ResiliencePipeline _pipeline = pipelines.GetPipeline(ClusterRetryOptions.PipelineName);

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var repeatable = http.GetEndpoint()?.Metadata.GetMetadata<NotIdempotent>() is not { } creates
            || (creates.HonoursIdempotencyKey && http.Request.Headers.ContainsKey(AppointmentsApi.IdempotencyKeyHeader));
        if (!repeatable)
        {
            return await next(context);
        }

        // The pipeline's delays end when the client goes away (RequestAborted); no retry starts
        // after ClusterRetry:MaxElapsed, counted from here.
        var resilience = ResilienceContextPool.Shared.Get(http.RequestAborted);
        resilience.Properties.Set(ClusterRetryExtensions.FirstAttemptStarted, Stopwatch.GetTimestamp());
        try
        {
            return await _pipeline.ExecuteAsync(
                static (_, state) => state.next(state.context), resilience, (next, context));
        }
        finally
        {
            ResilienceContextPool.Shared.Return(resilience);
        }
    }

    public static bool IsTransient(Exception exception) =>
        exception is SiloUnavailableException or OrleansMessageRejectionException or TimeoutException
            or Orleans.Runtime.Messaging.ConnectionFailedException

            // Two activations of one grain during a membership change: the stale one's write lost
            // on its ETag. The request did nothing and is safe to repeat on the surviving activation.
            or Orleans.Storage.InconsistentStateException;
}

/// <summary>
/// Marks an endpoint that creates something under a new id, so repeating it could create a second
/// one: never retried, unless it honours the Idempotency-Key header and the request carries one.
/// </summary>
public sealed record NotIdempotent(bool HonoursIdempotencyKey = false);
