using ClinicCluster.Audit;
using ClinicCluster.Scheduling;
using ClinicCluster.Silo.Audit;
using ClinicCluster.Silo.Ledger;
using Npgsql;

namespace ClinicCluster.Silo.Persistence;

/// <summary>The silo's own PostgreSQL tables beside Orleans': the appointment ledger and the audit trail.</summary>
public static class PostgresDataServices
{
    public static IServiceCollection AddPostgresDataServices(this IServiceCollection services, string connectionString)
    {
        services.AddSingleton(_ => NpgsqlDataSource.Create(connectionString));
        services.AddSingleton<IAppointmentLedger, PostgresAppointmentLedger>();
        services.AddSingleton<IAuditStore, PostgresAuditStore>();
        return services;
    }
}
