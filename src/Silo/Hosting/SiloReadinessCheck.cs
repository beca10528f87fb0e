using Microsoft.Extensions.Diagnostics.HealthChecks;
using Orleans.Runtime;

namespace ClinicCluster.Silo.Hosting;

/// <summary>Ready once this silo is an active member of the cluster, not while it joins or leaves.</summary>
internal sealed class SiloReadinessCheck(ISiloStatusOracle oracle) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(oracle.CurrentStatus == SiloStatus.Active
            ? HealthCheckResult.Healthy("Active cluster member.")
            : HealthCheckResult.Unhealthy($"Silo status is {oracle.CurrentStatus}."));
}
