using ClinicCluster.Audit;
using ClinicCluster.Patients;
using ClinicCluster.Persistence.Postgres.Audit;
using ClinicCluster.Persistence.Postgres.Ledger;
using ClinicCluster.Persistence.Postgres.Patients;
using ClinicCluster.Persistence.Postgres.Waitlist;
using ClinicCluster.Persistence.Postgres.Webhooks;
using ClinicCluster.Scheduling;
using ClinicCluster.Webhooks;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ClinicCluster.Persistence.Postgres;

/// <summary>The silo's own PostgreSQL tables beside Orleans': the appointment ledger, the audit trail, the patient index entries and name index snapshots, the webhook outbox and the waitlist's offers into it.</summary>
public static class PostgresDataServices
{
    /// <summary>On the silo's one <see cref="NpgsqlDataSource"/>, registered by the host.</summary>
    public static IServiceCollection AddPostgresDataServices(this IServiceCollection services)
    {
        services.AddSingleton<IAppointmentLedger, PostgresAppointmentLedger>();
        services.AddSingleton<IAuditStore, PostgresAuditStore>();
        services.AddSingleton<IPatientIndexStore, PostgresPatientIndexStore>();
        services.AddSingleton<INameIndexSnapshotStore, PostgresNameIndexSnapshotStore>();
        services.AddOptions<AuditPartitionOptions>().BindConfiguration(AuditPartitionOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddHostedService<AuditPartitionMaintainer>();
        services.AddSingleton<WebhookSecretCipher>();
        services.AddSingleton<IWebhookStore, PostgresWebhookStore>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IWaitlistEventSink, PostgresWaitlistEventSink>());
        return services;
    }
}
