using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ClinicCluster.ServiceDefaults;

/// <summary>What every host of the product has: structured logs and the three Kubernetes probes.</summary>
public static class ServiceDefaultsExtensions
{
    /// <summary>Health checks tagged with this run only on the readiness and startup probes.</summary>
    public const string ReadyTag = "ready";

    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        // One JSON object per line, with scopes (clinic id, trace id) as fields. Outside development
        // the plain console formatter is never used, so a log shipper always gets parseable lines.
        builder.Logging.ClearProviders();
        if (builder.Environment.IsDevelopment() && builder.Configuration["Logging:Format"] != "json")
        {
            builder.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; });
        }
        else
        {
            builder.Logging.AddJsonConsole(o =>
            {
                o.IncludeScopes = true;
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
            });
        }

        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), ["live"]);
        return builder;
    }

    /// <summary>
    /// Maps <c>/health/live</c> (the process runs), <c>/health/ready</c> (it can serve: its
    /// dependencies answer) and <c>/health/startup</c> (same checks as ready; Kubernetes stops
    /// probing it once it passed). They are anonymous and left out of the OpenAPI document.
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        var health = app.MapGroup("/health").AllowAnonymous().ExcludeFromDescription();
        health.MapHealthChecks("/live", new HealthCheckOptions { Predicate = check => check.Tags.Contains("live") });
        health.MapHealthChecks("/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadyTag) });
        health.MapHealthChecks("/startup", new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadyTag) });
        return app;
    }
}
