using ClinicCluster.Api.Problems;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace ClinicCluster.Api.Tests;

/// <summary>
/// The cancellation Orleans raises when a call's message expires before placement (seen in the
/// partition drill while a silo was being declared dead) is the cluster's state: 503 with
/// Retry-After. A request the client itself abandoned is not answered as one.
/// </summary>
public sealed class ClusterUnavailableProblemTests
{
    [Fact]
    public async Task A_call_cancelled_in_the_cluster_answers_503_with_Retry_After()
    {
        var (handler, context) = Create(aborted: false);

        var handled = await handler.TryHandleAsync(context, new OperationCanceledException("Message expired before placement could complete"), CancellationToken.None);

        Assert.True(handled);
        Assert.Equal(StatusCodes.Status503ServiceUnavailable, context.Response.StatusCode);
        Assert.Equal("1", context.Response.Headers.RetryAfter.ToString());
    }

    [Fact]
    public async Task A_request_the_client_abandoned_is_not_answered_as_cluster_unavailable()
    {
        var (handler, context) = Create(aborted: true);

        var handled = await handler.TryHandleAsync(context, new OperationCanceledException(context.RequestAborted), CancellationToken.None);

        Assert.False(handled);
        Assert.NotEqual(StatusCodes.Status503ServiceUnavailable, context.Response.StatusCode);
    }

    private static (ClusterUnavailableExceptionHandler Handler, DefaultHttpContext Context) Create(bool aborted)
    {
        var services = new ServiceCollection().AddLogging().AddProblemDetails().BuildServiceProvider();
        var context = new DefaultHttpContext { RequestServices = services };
        context.Response.Body = new MemoryStream();
        if (aborted)
        {
            context.RequestAborted = new CancellationToken(canceled: true);
        }

        var handler = new ClusterUnavailableExceptionHandler(services.GetRequiredService<Microsoft.AspNetCore.Http.IProblemDetailsService>(),
            NullLogger<ClusterUnavailableExceptionHandler>.Instance);
        return (handler, context);
    }
}
