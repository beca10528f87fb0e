using System.Diagnostics;
using ClinicCluster.ServiceDefaults.Management;
using ClinicCluster.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace ClinicCluster.ServiceDefaults.Telemetry;

/// <summary>
/// OpenTelemetry for both hosts: traces (HTTP in and out, grain calls, grain storage, Npgsql),
/// metrics (ASP.NET Core, runtime, Orleans, Npgsql, ours) and, when OTLP is configured, logs.
/// Metrics are always scrapeable at /metrics; OTLP export of all three signals starts only when
/// OTEL_EXPORTER_OTLP_ENDPOINT is set (the standard variable; protocol and headers likewise).
/// Traces are sampled by <see cref="TelemetryOptions.TraceSampleRatio"/>.
/// </summary>
internal static class TelemetryExtensions
{
    private const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";
    private const string ClinicRouteValue = "clinicId";

    public static void AddClinicTelemetry(this WebApplicationBuilder builder, string serviceName)
    {
        // Read by hand, not an options class: OpenTelemetry's own variable and the pod's name (the
        // downward API) decide what is registered while the host is built, before options resolve.
        var otlp = !string.IsNullOrWhiteSpace(builder.Configuration[OtlpEndpointVariable]);
        var instance = builder.Configuration["POD_NAME"] is { Length: > 0 } pod ? pod : Environment.MachineName;
        builder.Services.AddOptions<TelemetryOptions>()
            .BindConfiguration(TelemetryOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName, serviceInstanceId: instance))
            .WithTracing(tracing => tracing
                .SetSampler(sp => TraceSampling.For(sp.GetRequiredService<IOptions<TelemetryOptions>>().Value.EffectiveTraceSampleRatio(otlp)))
                .AddAspNetCoreInstrumentation(o =>
                {
                    // Probes and scrapes every few seconds would drown the request traces.
                    o.Filter = context => !ManagementPaths.IsManagement(context.Request.Path);
                    o.EnrichWithHttpRequest = (activity, _) => activity.SetTag("url.query", null);
                    o.EnrichWithHttpResponse = TagClinic;
                })
                .AddHttpClientInstrumentation()
                .AddSource(TelemetryNames.OrleansApplicationSource, TelemetryNames.OrleansStorageSource, TelemetryNames.NpgsqlSource))
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter([.. TelemetryNames.ExportedMeters])
                .AddPrometheusExporter());

        if (otlp)
        {
            // Log records go out with their scopes (clinic id, trace id); messages carry no PHI by rule.
            builder.Logging.AddOpenTelemetry(o =>
            {
                o.IncludeScopes = true;
                o.IncludeFormattedMessage = true;
            });
            telemetry.UseOtlpExporter();
        }
    }

    /// <summary>The clinic the request is about, from its route: an id, never a name or any PHI.</summary>
    private static void TagClinic(Activity activity, HttpResponse response)
    {
        if (response.HttpContext.GetRouteValue(ClinicRouteValue) is string clinicId)
        {
            activity.SetTag(TelemetryNames.ClinicIdAttribute, clinicId);
        }
    }
}
