using ClinicCluster.Audit;
using ClinicCluster.Patients;
using ClinicCluster.Scheduling;
using ClinicCluster.Security;
using ClinicCluster.Webhooks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ClinicCluster;

/// <summary>The services the grains depend on, registered by every silo (and the test cluster).</summary>
public static class GrainServiceCollectionExtensions
{
    public static IServiceCollection AddClinicGrainServices(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IAppointmentLedger, MemoryAppointmentLedger>();
        services.TryAddSingleton<ISchedulingFaults, NoSchedulingFaults>();
        services.AddMetrics();
        services.TryAddSingleton<SchedulingMetrics>();
        services.TryAddSingleton<IAuditStore, MemoryAuditStore>();
        services.TryAddSingleton<IPatientIndexStore, MemoryPatientIndexStore>();
        services.AddPhiProtection(configuration);
        services.AddAuditChainKeys(configuration);
        services.AddWebhooks();
        services.AddOptions<SchedulingOptions>()
            .Bind(configuration.GetSection(SchedulingOptions.SectionName))
            .Validate(o => o.PendingHoldTimeout > TimeSpan.Zero, "Scheduling:PendingHoldTimeout must be positive.")
            // Replaced by each clinic's policy (decision 0025): refused rather than silently ignored.
            .Validate(_ => configuration[$"{SchedulingOptions.SectionName}:NoShowAfter"] is null,
                "Scheduling:NoShowAfter was replaced by the clinics' policy field checkInGraceMinutes (decision 0025); remove the setting.")
            .Validate(o => o.DueSoonBefore >= TimeSpan.Zero, "Scheduling:DueSoonBefore must not be negative.")
            .Validate(o => o.ReconcileInterval >= TimeSpan.FromSeconds(1), "Scheduling:ReconcileInterval must be at least one second.")
            .Validate(o => o.SweepInterval >= TimeSpan.FromSeconds(1), "Scheduling:SweepInterval must be at least one second.")
            .Validate(o => o.RecordRetryDelay >= TimeSpan.FromMilliseconds(100) && o.RecordRetryDelay <= TimeSpan.FromMinutes(1),
                "Scheduling:RecordRetryDelay must be between 100 ms and one minute.")
            .Validate(o => o.RecordRetries is >= 0 and <= 20, "Scheduling:RecordRetries must be between 0 and 20.")
            .Validate(o => o.MaxAvailabilityDays is >= 1 and <= 366, "Scheduling:MaxAvailabilityDays must be between 1 and 366.")
            .ValidateOnStart();
        return services;
    }
}
