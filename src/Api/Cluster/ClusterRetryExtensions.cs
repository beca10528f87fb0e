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
/// failures only, after the configured delays, stopping when the client goes away.
/// </summary>
public static partial class ClusterRetryExtensions
{
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
            .ValidateOnStart();

        services.AddResiliencePipeline(ClusterRetryOptions.PipelineName, static (pipeline, context) =>
        {
            var delays = context.ServiceProvider.GetRequiredService<IOptions<ClusterRetryOptions>>().Value.Delays.ToArray();
            var logger = context.ServiceProvider.GetRequiredService<ILogger<TransientRetryFilter>>();
            pipeline.AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<Exception>(TransientRetryFilter.IsTransient),
                MaxRetryAttempts = delays.Length,
                DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(delays[Math.Min(args.AttemptNumber, delays.Length - 1)]),
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cluster call failed ({ExceptionType}); retry {Attempt}")]
    private static partial void LogRetry(ILogger logger, string exceptionType, int attempt);
}
