using ClinicCluster.Audit;
using ClinicCluster.Persistence.Postgres;
using ClinicCluster.ServiceDefaults;
using ClinicCluster.ServiceDefaults.Management;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Configuration;

namespace ClinicCluster.Api.Cluster;

/// <summary>Makes the API an Orleans client of the silo cluster.</summary>
public static class ClusterClientExtensions
{
    public static WebApplicationBuilder AddClusterClient(this WebApplicationBuilder builder)
    {
        // Read while the host is built: the clustering mode decides what is registered.
        var options = ConfiguredOptions.Read<ClusterClientOptions>(builder.Configuration, ClusterClientOptions.SectionName);

        if (options.Clustering == ClientClusteringMode.Localhost)
        {
            // The embedded default (beside a localhost silo): probes and metrics need no credentials.
            builder.AllowAnonymousManagement();
        }

        // Mutual TLS to the gateways, with the silos' certificate checked against the cluster CA.
        var clusterTls = ClusterTls.Load(builder.Configuration, reachableFromOtherMachines: options.Clustering != ClientClusteringMode.Localhost);
        if (clusterTls is not null)
        {
            builder.Services.AddClusterTlsReload(clusterTls);
        }
        builder.UseOrleansClient(client =>
        {
            if (clusterTls is not null)
            {
                client.UseTls(clusterTls.Configure);
            }

            // Grain calls join the HTTP request's trace.
            client.AddActivityPropagation();
            client.Services.AddGrainInterfaceTypeCache();
            client.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = options.ClusterId;
                o.ServiceId = options.ServiceId;
            });
            client.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = options.ResponseTimeout);
            client.Configure<GatewayOptions>(o => o.GatewayListRefreshPeriod = options.GatewayListRefreshPeriod);
            client.Configure<ConnectionOptions>(o => o.OpenConnectionTimeout = options.OpenConnectionTimeout);

            switch (options.Clustering)
            {
                case ClientClusteringMode.Localhost:
                    client.UseLocalhostClustering(options.GatewayPort, options.ServiceId, options.ClusterId);
                    client.AddMemoryStreams(AuditStreams.ProviderName);
                    break;
                case ClientClusteringMode.AdoNet:
                    // The silos' PostgresOptions (section "Postgres"), opened the silos' way, so one
                    // secret and one set of keys serve both hosts; one pool (docs/capacity.md) for
                    // clustering and the audit queue.
                    var dataSource = builder.Services.AddPostgresDataSource(builder.Configuration, applicationName: "clinic-api");
                    client.UseAdoNetClustering(o =>
                    {
                        o.Invariant = PostgresSchema.Invariant;
                        o.DataSource = dataSource;
                    });
                    AddPostgresAuditStreams(client, dataSource, builder.Configuration);
                    break;
                default:
                    throw new OptionsValidationException(ClusterClientOptions.SectionName, typeof(ClusterClientOptions),
                        [$"Cluster:Clustering '{options.Clustering}' is not supported by this build."]);
            }
        });

        builder.Services.AddHealthChecks().AddCheck<ClusterReadinessCheck>("cluster", tags: [ServiceDefaultsExtensions.ReadyTag]);
        return builder;
    }

    /// <summary>
    /// Publishes audit events into the silos' durable queue (orleans.stream_messages): the publish
    /// returns once the event is a row in PostgreSQL. Must mirror the silo's AddPostgresAuditStreams:
    /// same provider name and queue count (a different count would strand events in a queue no silo
    /// reads). Events expire after Audit:Stream:ExpiryTimeout (<see cref="AuditPublishOptions"/>; 30 days by
    /// default), far beyond any outage; even then they are kept as dead letters.
    /// </summary>
    private static void AddPostgresAuditStreams(IClientBuilder client, NpgsqlDataSource dataSource, IConfiguration configuration)
    {
        var expiry = ConfiguredOptions.Read<AuditPublishOptions>(configuration, AuditPublishOptions.SectionName).ExpiryTimeout;
        client.AddAdoNetStreams(AuditStreams.ProviderName, stream =>
        {
            stream.ConfigureAdoNet(adoNet => adoNet.Configure(o =>
            {
                o.Invariant = PostgresSchema.Invariant;
                o.DataSource = dataSource;
                o.ExpiryTimeout = expiry;
            }));
            stream.ConfigurePartitioning(AuditStreams.QueueCount);
        });
    }
}
