using ClinicCluster.ServiceDefaults;
using ClinicCluster.ServiceDefaults.Management;
using ClinicCluster.Silo.Dashboard;
using ClinicCluster.Silo.Memory;
using Microsoft.Extensions.Options;

namespace ClinicCluster.Silo.Hosting;

/// <summary>
/// Turns configuration into a silo: clustering, storage, reminders, dashboard, health and shutdown.
/// Each concern has its own file in this folder; this is the order they are registered in.
/// </summary>
public static class SiloHostingExtensions
{
    public static WebApplicationBuilder AddClinicSilo(this WebApplicationBuilder builder)
    {
        var options = ReadOptions(builder.Configuration);
        var pod = ClusteringExtensions.ReadPod(builder.Configuration, options);
        var postgres = builder.AddSiloDatabase(options);
        var auditChain = builder.RequireDurableKeys(options);
        var clusterTls = builder.AddSiloClusterTls(options);

        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = options.ShutdownTimeout);
        builder.AddSiloDataServices(options, auditChain);
        builder.Services.AddClinicGrainServices();
        builder.AddSiloMembership();
        builder.AddSiloGrainCollection();
        builder.AddSiloMemoryTrim();
        builder.Services.AddHealthChecks().AddCheck<SiloReadinessCheck>("silo", tags: [ServiceDefaultsExtensions.ReadyTag]);
        if (options.Clustering == ClusteringMode.Localhost && options.Storage == StorageMode.Memory)
        {
            // The embedded default: one developer machine, nothing stored; probes, metrics and the
            // dashboard need no credentials. Any other configuration must mount them.
            builder.AllowAnonymousManagement();
        }

        builder.AddSiloTelemetry(options);
        builder.UseOrleans(silo =>
        {
            silo.AddClinicClustering(options, pod, postgres);
            silo.AddClinicStorage(options, postgres);
            silo.UseClusterTls(clusterTls);
            silo.Services.AddGrainInterfaceTypeCache();
            silo.AddClinicTracing();
            silo.AddOperatorDashboard(builder);
        });
        return builder;
    }

    /// <summary>Binds and validates <see cref="SiloOptions"/>; a bad value stops the host with its setting's name.</summary>
    internal static SiloOptions ReadOptions(IConfiguration configuration) =>
        ConfiguredOptions.Read<SiloOptions>(configuration, SiloOptions.SectionName, options =>
        {
            // The names the Kubernetes manifests (and Orleans' own Kubernetes hosting) use.
            if (configuration["ORLEANS_CLUSTER_ID"] is { Length: > 0 } clusterId)
            {
                options.ClusterId = clusterId;
            }

            if (configuration["ORLEANS_SERVICE_ID"] is { Length: > 0 } serviceId)
            {
                options.ServiceId = serviceId;
            }
        });
}
