using ClinicCluster.Audit;
using ClinicCluster.Patients;
using ClinicCluster.Scheduling;
using ClinicCluster.Security;
using ClinicCluster.Webhooks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ClinicCluster;

/// <summary>The services the grains depend on, registered by every silo (and the test cluster).</summary>
public static class GrainServiceCollectionExtensions
{
    public static IServiceCollection AddClinicGrainServices(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IAppointmentLedger, MemoryAppointmentLedger>();
        services.TryAddSingleton<ISchedulingFaults, NoSchedulingFaults>();
        services.TryAddSingleton<IReplicaFaults, NoReplicaFaults>();
        services.AddMetrics();
        services.TryAddSingleton<SchedulingMetrics>();
        services.TryAddSingleton<IAuditStore, MemoryAuditStore>();
        services.TryAddSingleton<IPatientIndexStore, MemoryPatientIndexStore>();
        services.TryAddSingleton<INameIndexSnapshotStore, NoNameIndexSnapshots>();
        services.TryAddSingleton<NameIndexSnapshotGate>();
        services.TryAddSingleton<PatientIndexWriter>();
        services.AddPhiProtection();
        services.AddAuditChainKeys();
        services.AddWebhooks();
        services.AddOptions<SchedulingOptions>()
            .BindConfiguration(SchedulingOptions.SectionName)
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SchedulingOptions>, SchedulingOptionsValidator>());
        return services;
    }
}
