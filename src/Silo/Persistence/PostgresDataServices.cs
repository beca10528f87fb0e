using ClinicCluster.Audit;
using ClinicCluster.Scheduling;
using ClinicCluster.Silo.Audit;
using ClinicCluster.Silo.Ledger;

namespace ClinicCluster.Silo.Persistence;

/// <summary>The silo's own PostgreSQL tables beside Orleans': the appointment ledger and the audit trail.</summary>
public static class PostgresDataServices
{
    /// <summary>On the silo's one <see cref="NpgsqlDataSource"/>, registered by the host.</summary>
    public static IServiceCollection AddPostgresDataServices(this IServiceCollection services)
    {
        services.AddSingleton<IAppointmentLedger, PostgresAppointmentLedger>();
        services.AddSingleton<IAuditStore, PostgresAuditStore>();
        return services;
    }
}
