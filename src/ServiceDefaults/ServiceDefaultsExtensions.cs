using ClinicCluster.ServiceDefaults.Management;
using ClinicCluster.ServiceDefaults.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ClinicCluster.ServiceDefaults;

/// <summary>
/// What every host of the product has: structured logs, OpenTelemetry, the management listener
/// with the three Kubernetes probes and the Prometheus scrape endpoint.
/// </summary>
public static class ServiceDefaultsExtensions
{
    /// <summary>Health checks tagged with this run only on the readiness and startup probes.</summary>
    public const string ReadyTag = "ready";

    /// <param name="serviceName">The OpenTelemetry service name (clinic-cluster-silo, clinic-cluster-api).</param>
    /// <param name="defaultManagementPort">The management port when neither Management:Port nor any own listener is configured.</param>
    /// <param name="hasPublicTraffic">False for a host that serves only management endpoints (the silo).</param>
    public static WebApplicationBuilder AddServiceDefaults(
        this WebApplicationBuilder builder, string serviceName, int? defaultManagementPort = null, bool hasPublicTraffic = true)
    {
        // One JSON object per line, with scopes (clinic id, trace id) as fields. Outside development
        // the plain console formatter is never used, so a log shipper always gets parseable lines.
        builder.Logging.ClearProviders();

        // Logging:Format is read by hand: it picks the logger provider while the host is built.
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

        var management = ManagementOptions.Read(builder.Configuration);
        var port = ManagementListener.Configure(builder, management, defaultManagementPort, hasPublicTraffic);
        builder.Services.AddOptions<ManagementOptions>()
            .BindConfiguration(ManagementOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton(sp => new ManagementAccess(
            port, management.MetricsTokenFile, sp.GetService<AnonymousManagement>() is not null));
        builder.Services.AddTransient<IStartupFilter, ManagementGateStartupFilter>();

        builder.AddClinicTelemetry(serviceName);
        builder.Services.AddSingleton<PrometheusEndpointMarker>();

        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), ["live"]);
        return builder;
    }

    /// <summary>
    /// Maps <c>/health/live</c> (the process runs), <c>/health/ready</c> (it can serve: its
    /// dependencies answer), <c>/health/startup</c> (same checks as ready; Kubernetes stops
    /// probing it once it passed) and, with the service defaults, <c>/metrics</c>. All are left
    /// out of the OpenAPI document; the management gate decides who reaches them.
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        var health = app.MapGroup(ManagementPaths.Health).AllowAnonymous().ExcludeFromDescription();
        health.MapHealthChecks("/live", new HealthCheckOptions { Predicate = check => check.Tags.Contains("live") });
        health.MapHealthChecks("/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadyTag) });
        health.MapHealthChecks("/startup", new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadyTag) });
        if (app.Services.GetService<PrometheusEndpointMarker>() is not null)
        {
            app.MapPrometheusScrapingEndpoint(ManagementPaths.Metrics).AllowAnonymous().ExcludeFromDescription();
        }

        return app;
    }

    /// <summary>Puts the management gate before everything else the host adds to its pipeline.</summary>
    private sealed class ManagementGateStartupFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.UseManagementGate();
            next(app);
        };
    }

    /// <summary>Registered with the Prometheus exporter, so hosts without it map no /metrics.</summary>
    private sealed class PrometheusEndpointMarker;
}
