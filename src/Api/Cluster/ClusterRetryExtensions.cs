using ClinicCluster.Api.Endpoints;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;
using Polly.Telemetry;

namespace ClinicCluster.Api.Cluster;

/// <summary>
/// The "cluster-retry" resilience pipeline (Polly, through Microsoft.Extensions.Resilience) that
/// <see cref="TransientRetryFilter"/> runs repeatable requests in: retries on the transient cluster
/// failures only, after the configured delays, while the request is younger than
/// ClusterRetry:MaxElapsed, stopping when the client goes away.
/// </summary>
public static partial class ClusterRetryExtensions
{
    /// <summary>When the request's first attempt began (<see cref="System.Diagnostics.Stopwatch"/> ticks), set by the filter.</summary>
    public static readonly ResiliencePropertyKey<long> FirstAttemptStarted = new("clinic.cluster-retry.first-attempt");

    public static WebApplicationBuilder AddClusterRetry(this WebApplicationBuilder builder)
    {
        builder.Services.AddClusterRetry(builder.Configuration);
        return builder;
    }

    public static IServiceCollection AddClusterRetry(this IServiceCollection services, IConfiguration configuration)
    {
        // Bound from the configuration given, not BindConfiguration: tests build this on a bare
        // service collection that holds no IConfiguration.
        services.AddOptions<ClusterRetryOptions>()
            .Bind(configuration.GetSection(ClusterRetryOptions.SectionName))
            .PostConfigure(o =>
            {
                if (o.Delays.Count == 0)
                {
                    o.Delays = [.. ClusterRetryOptions.DefaultDelays];
                }
            })
            .Validate(o => o.Delays.Count is >= 1 and <= 10, "ClusterRetry:Delays must hold 1 to 10 delays.")
            .Validate(o => o.Delays.TrueForAll(d => d >= TimeSpan.Zero && d <= TimeSpan.FromSeconds(30)),
                "ClusterRetry:Delays must each be between 0 and 30 seconds.")
            .Validate(o => o.MaxElapsed >= TimeSpan.Zero && o.MaxElapsed <= TimeSpan.FromMinutes(1),
                "ClusterRetry:MaxElapsed must be between 0 and 1 minute.")
            .ValidateOnStart();

        services.AddResiliencePipeline(ClusterRetryOptions.PipelineName, static (pipeline, context) =>
        {
            var options = context.ServiceProvider.GetRequiredService<IOptions<ClusterRetryOptions>>().Value;
            var delays = options.Delays.ToArray();
            var logger = context.ServiceProvider.GetRequiredService<ILogger<TransientRetryFilter>>();
            TimeSpan Delay(int attempt) => delays[Math.Min(attempt, delays.Length - 1)];
            pipeline.AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = args => ValueTask.FromResult(
                    args.Outcome.Exception is { } exception && TransientRetryFilter.IsTransient(exception)
                    && StartsInTime(args.Context, Delay(args.AttemptNumber), options.MaxElapsed)),
                MaxRetryAttempts = delays.Length,
                DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(Delay(args.AttemptNumber)),
                OnRetry = args =>
                {
                    LogRetry(logger, args.Outcome.Exception?.GetType().Name ?? "none", args.AttemptNumber + 1);
                    return ValueTask.CompletedTask;
                },
            });
        });

        // Polly's telemetry logs every retry with its exception, message included, and a grain's
        // exception message can quote what a request submitted (PHI). Its logging is therefore
        // off for every pipeline; OnRetry above logs the exception's type name only. Its metrics
        // stay: their tags name the pipeline, the event and the exception type, never a message.
        services.ConfigureAll<TelemetryOptions>(o => o.LoggerFactory = NullLoggerFactory.Instance);

        // Tags the pipeline's metrics with an exception summary (type and a fixed description).
        services.AddResilienceEnricher();
        return services;
    }

    /// <summary>
    /// True when a retry after <paramref name="delay"/> would still start within
    /// <paramref name="maxElapsed"/> of the first attempt (always, when the caller did not say when that was).
    /// </summary>
    private static bool StartsInTime(ResilienceContext context, TimeSpan delay, TimeSpan maxElapsed) =>
        !context.Properties.TryGetValue(FirstAttemptStarted, out var started)
        || System.Diagnostics.Stopwatch.GetElapsedTime(started) + delay <= maxElapsed;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cluster call failed ({ExceptionType}); retry {Attempt}")]
    private static partial void LogRetry(ILogger logger, string exceptionType, int attempt);
}
