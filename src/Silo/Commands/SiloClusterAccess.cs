using ClinicCluster.Persistence.Postgres;
using ClinicCluster.Persistence.Postgres.Commands;
using ClinicCluster.Silo.Hosting;
using Orleans.Configuration;

namespace ClinicCluster.Silo.Commands;

/// <summary>
/// The seam of the commands that join the cluster (<c>reconcile</c>, <c>encryption reindex</c>):
/// an Orleans client of the cluster the silo's own settings describe (section "Silo": same ids,
/// same membership), so a command finds exactly the cluster the silos formed.
/// </summary>
internal sealed class SiloClusterAccess : IClusterAccess
{
    public string ServiceId(IConfiguration configuration) => SiloHostingExtensions.ReadOptions(configuration).ServiceId;

    public IHost BuildClient(IConfiguration configuration)
    {
        var options = SiloHostingExtensions.ReadOptions(configuration);
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.UseOrleansClient(orleans =>
        {
            orleans.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = options.ClusterId;
                o.ServiceId = options.ServiceId;
            });
            if (options.Clustering == ClusteringMode.AdoNet)
            {
                PostgresSchema.RegisterProviderFactory();
                var connectionString = PostgresOptions.Read(configuration).ResolveRuntime();
                orleans.UseAdoNetClustering(o =>
                {
                    o.Invariant = PostgresSchema.Invariant;
                    o.ConnectionString = connectionString;
                });
            }
            else
            {
                orleans.UseLocalhostClustering(options.GatewayPort, options.ServiceId, options.ClusterId);
            }
        });
        return builder.Build();
    }
}
