using ClinicCluster.Api.Cluster;
using ClinicCluster.Api.Endpoints;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Polly.Registry;

namespace ClinicCluster.Api.Tests;

/// <summary>
/// The "cluster-retry" pipeline behind <see cref="TransientRetryFilter"/>: repeatable requests
/// are retried on transient cluster failures, after the configured delays; nothing else is.
/// </summary>
public sealed class ClusterRetryTests
{
    [Fact]
    public async Task A_repeatable_request_is_retried_through_transient_failures_until_it_succeeds()
    {
        var filter = Filter("0", "0", "0");
        var calls = 0;

        var result = await filter.InvokeAsync(Invocation(), _ => ++calls < 3 ? throw new TimeoutException() : ValueTask.FromResult<object?>("ok"));

        Assert.Equal(("ok", 3), (result, calls));
    }

    [Fact]
    public async Task Retries_stop_after_one_per_configured_delay_and_the_last_failure_is_answered()
    {
        var filter = Filter("0", "0");
        var calls = 0;

        await Assert.ThrowsAsync<TimeoutException>(async () => await filter.InvokeAsync(Invocation(), _ => { calls++; throw new TimeoutException(); }));

        Assert.Equal(3, calls);
    }

    [Fact]
    public async Task A_creating_request_without_an_idempotency_key_and_a_non_transient_failure_are_not_retried()
    {
        var filter = Filter("0");
        var creates = 0;
        var faulty = 0;

        await Assert.ThrowsAsync<TimeoutException>(async () =>
            await filter.InvokeAsync(Invocation(new NotIdempotent(HonoursIdempotencyKey: true)), _ => { creates++; throw new TimeoutException(); }));
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await filter.InvokeAsync(Invocation(), _ => { faulty++; throw new InvalidOperationException(); }));

        Assert.Equal((1, 1), (creates, faulty));
    }

    [Fact]
    public async Task A_creating_request_with_an_idempotency_key_is_retried()
    {
        var filter = Filter("0");
        var calls = 0;
        var invocation = Invocation(new NotIdempotent(HonoursIdempotencyKey: true));
        invocation.HttpContext.Request.Headers[AppointmentsApi.IdempotencyKeyHeader] = "k-1";

        var result = await filter.InvokeAsync(invocation, _ => ++calls < 2 ? throw new TimeoutException() : ValueTask.FromResult<object?>("ok"));

        Assert.Equal(("ok", 2), (result, calls));
    }

    [Fact]
    public async Task The_wait_before_a_retry_ends_when_the_client_goes_away()
    {
        // A bound beyond the delay, so the retry is waited for (and cut short by the abort).
        var filter = new TransientRetryFilter(Services(maxElapsed: "00:01:00", "00:00:30").GetRequiredService<ResiliencePipelineProvider<string>>());
        using var aborted = new CancellationTokenSource();
        var invocation = Invocation();
        invocation.HttpContext.RequestAborted = aborted.Token;
        var calls = 0;

        var waiting = filter.InvokeAsync(invocation, _ =>
        {
            calls++;
            aborted.Cancel();
            throw new TimeoutException();
        }).AsTask();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        Assert.Equal(1, calls);
    }

    [Fact]
    public async Task No_retry_starts_once_the_request_is_older_than_MaxElapsed()
    {
        var filter = new TransientRetryFilter(Services(maxElapsed: "00:00:00.5", "00:00:00.3", "00:00:00.3", "00:00:00.3", "00:00:00.3")
            .GetRequiredService<ResiliencePipelineProvider<string>>());
        var calls = 0;

        await Assert.ThrowsAsync<TimeoutException>(async () => await filter.InvokeAsync(Invocation(), _ => { calls++; throw new TimeoutException(); }));

        // At 0 s and after 0.3 s; a third attempt would start at 0.6 s, past 0.5 s.
        Assert.Equal(2, calls);
    }

    [Fact]
    public void Without_configuration_the_default_delays_and_bound_apply()
    {
        var options = Services().GetRequiredService<IOptions<ClusterRetryOptions>>().Value;

        Assert.Equal(ClusterRetryOptions.DefaultDelays, options.Delays);
        Assert.Equal(TimeSpan.FromSeconds(2.5), options.MaxElapsed);
    }

    [Theory]
    [InlineData("00:00:31")]
    [InlineData("-00:00:01")]
    public void A_delay_outside_zero_to_thirty_seconds_is_refused(string delay)
    {
        var services = Services("00:00:01", delay);

        var failure = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<ClusterRetryOptions>>().Value);
        Assert.Contains("ClusterRetry:Delays", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void More_than_ten_delays_are_refused()
    {
        var services = Services(Enumerable.Repeat("0", 11).ToArray());

        Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<ClusterRetryOptions>>().Value);
    }

    private static IServiceProvider Services(params string[] delays) => Services(maxElapsed: null, delays);

    private static IServiceProvider Services(string? maxElapsed, params string[] delays)
    {
        var settings = delays.Select((d, i) => KeyValuePair.Create<string, string?>($"ClusterRetry:Delays:{i}", d)).ToList();
        if (maxElapsed is not null)
        {
            settings.Add(KeyValuePair.Create<string, string?>("ClusterRetry:MaxElapsed", maxElapsed));
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection().AddLogging().AddClusterRetry(configuration).BuildServiceProvider();
    }

    private static TransientRetryFilter Filter(params string[] delays) =>
        new(Services(delays).GetRequiredService<ResiliencePipelineProvider<string>>());

    private static DefaultEndpointFilterInvocationContext Invocation(params object[] metadata)
    {
        var http = new DefaultHttpContext();
        http.SetEndpoint(new Endpoint(null, new EndpointMetadataCollection(metadata), "test"));
        return new DefaultEndpointFilterInvocationContext(http);
    }
}
