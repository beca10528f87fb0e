namespace ClinicCluster.Persistence.Postgres.Telemetry;

/// <summary>The gauges whose figures are counted in PostgreSQL (active appointments, audit backlog).</summary>
public static class DatabaseGaugeExtensions
{
    /// <summary>Registers both gauges and their reading interval (Telemetry:DatabaseGaugeInterval), validated at start.</summary>
    public static IServiceCollection AddDatabaseGauges(this IServiceCollection services)
    {
        services.AddOptions<DatabaseGaugeOptions>()
            .BindConfiguration(DatabaseGaugeOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddHostedService<ActiveAppointmentsGauge>();
        services.AddHostedService<AuditBacklogGauge>();
        return services;
    }
}
