using ClinicCluster.Persistence.Postgres.Telemetry;
using ClinicCluster.Silo.Telemetry;

namespace ClinicCluster.Silo.Hosting;

/// <summary>The silo's own metrics and the spans of grain calls.</summary>
internal static class SiloTelemetryExtensions
{
    /// <summary>The silo's own metrics; the database-backed gauges only where there is a database.</summary>
    public static WebApplicationBuilder AddSiloTelemetry(this WebApplicationBuilder builder, SiloOptions options)
    {
        builder.Services.AddHostedService<MembershipMetrics>();
        if (options.Storage == StorageMode.Postgres)
        {
            builder.Services.AddDatabaseGauges();
        }

        return builder;
    }

    /// <summary>Trace context across grain calls, and the clinic id on each grain call's span.</summary>
    public static ISiloBuilder AddClinicTracing(this ISiloBuilder silo)
    {
        silo.AddActivityPropagation();
        silo.AddIncomingGrainCallFilter<ClinicSpanFilter>();
        return silo;
    }
}
