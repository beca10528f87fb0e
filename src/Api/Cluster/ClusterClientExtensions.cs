using System.ComponentModel.DataAnnotations;
using System.Data.Common;
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
    private const string PostgresInvariant = "Npgsql";

    public static WebApplicationBuilder AddClusterClient(this WebApplicationBuilder builder)
    {
        var options = new ClusterClientOptions();
        builder.Configuration.GetSection(ClusterClientOptions.SectionName).Bind(options);

        // The silos read the same keys, so one secret serves both hosts.
        options.ConnectionString ??= builder.Configuration["Postgres:ConnectionString"];
        options.ConnectionStringFile ??= builder.Configuration["Postgres:ConnectionStringFile"];
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true))
        {
            throw new OptionsValidationException(ClusterClientOptions.SectionName, typeof(ClusterClientOptions),
                results.Select(r => $"Cluster:{string.Join(",", r.MemberNames)}: {r.ErrorMessage}"));
        }

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

            switch (options.Clustering)
            {
                case ClientClusteringMode.Localhost:
                    client.UseLocalhostClustering(options.GatewayPort, options.ServiceId, options.ClusterId);
                    client.AddMemoryStreams(AuditStreams.ProviderName);
                    break;
                case ClientClusteringMode.AdoNet:
                    DbProviderFactories.RegisterFactory(PostgresInvariant, NpgsqlFactory.Instance);
                    // The membership provider looks its queries up without a schema; they live in "orleans".
                    // The budget of docs/capacity.md: clustering and the audit queue share this one pool.
                    var pool = PostgresPoolOptions.Register(builder.Services, builder.Configuration);
                    var connectionStringBuilder = new NpgsqlConnectionStringBuilder(pool.ApplyTo(options.ResolveConnectionString()))
                    {
                        SearchPath = "orleans",
                    };
                    connectionStringBuilder.ApplicationName ??= "clinic-api";
                    var tlsFailures = new List<string>();
                    var connectionString = PostgresTls.Apply(connectionStringBuilder.ConnectionString, builder.Configuration, tlsFailures);
                    if (tlsFailures.Count > 0)
                    {
                        throw new OptionsValidationException("Postgres", typeof(ClusterClientOptions), tlsFailures);
                    }

                    PostgresTls.RequireServerTls(connectionString, TimeSpan.FromSeconds(5));

                    // One data source (one pool) for clustering and the audit queue.
                    var dataSource = NpgsqlDataSource.Create(connectionString);
                    builder.Services.AddSingleton(_ => dataSource);
                    builder.Services.AddHealthChecks().AddPostgresReadiness(connectionString);
                    client.UseAdoNetClustering(o =>
                    {
                        o.Invariant = PostgresInvariant;
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
    /// reads). Events expire after Audit:Stream:ExpiryTimeout (the key the silos read; 30 days by
    /// default), far beyond any outage; even then they are kept as dead letters.
    /// </summary>
    private static void AddPostgresAuditStreams(IClientBuilder client, NpgsqlDataSource dataSource, IConfiguration configuration)
    {
        var expiry = configuration.GetValue<TimeSpan?>("Audit:Stream:ExpiryTimeout") ?? TimeSpan.FromDays(30);
        client.AddAdoNetStreams(AuditStreams.ProviderName, stream =>
        {
            stream.ConfigureAdoNet(adoNet => adoNet.Configure(o =>
            {
                o.Invariant = PostgresInvariant;
                o.DataSource = dataSource;
                o.ExpiryTimeout = expiry;
            }));
            stream.ConfigurePartitioning(AuditStreams.QueueCount);
        });
    }
}
