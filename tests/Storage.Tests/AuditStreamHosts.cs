using ClinicCluster.Audit;
using ClinicCluster.Silo.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Orleans.Configuration;
using Orleans.Runtime;
using Orleans.Streams;

namespace ClinicCluster.Storage.Tests;

/// <summary>
/// An Orleans client configured as the API is with Cluster:Clustering=AdoNet (ClusterClientExtensions):
/// gateways from the membership table, audit events into the durable queues.
/// </summary>
internal sealed class AuditStreamClient : IAsyncDisposable
{
    private readonly IHost _host;

    private AuditStreamClient(IHost host) => _host = host;

    public static async Task<AuditStreamClient> StartAsync(string appConnectionString)
    {
        var connectionString = new NpgsqlConnectionStringBuilder(appConnectionString) { SearchPath = "orleans" }.ConnectionString;
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Development" });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Logging.AddFilter("Orleans", LogLevel.Error);
        builder.UseOrleansClient(client =>
        {
            // The silo's defaults (SiloOptions); the service id also keys the queue rows.
            client.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = "clinic-cluster-dev";
                o.ServiceId = "clinic-cluster";
            });
            client.UseAdoNetClustering(o =>
            {
                o.Invariant = "Npgsql";
                o.ConnectionString = connectionString;
            });
            client.AddAdoNetStreams(AuditStreams.ProviderName, stream =>
            {
                stream.ConfigureAdoNet(adoNet => adoNet.Configure(o =>
                {
                    o.Invariant = "Npgsql";
                    o.ConnectionString = connectionString;
                    o.ExpiryTimeout = TimeSpan.FromDays(30);
                }));
                stream.ConfigurePartitioning(AuditStreams.QueueCount);
            });
        });
        var host = builder.Build();
        await host.StartAsync();
        return new AuditStreamClient(host);
    }

    /// <summary>What StreamAuditTrail does for every audited request.</summary>
    public Task PublishAsync(AuditEvent auditEvent) =>
        _host.Services.GetRequiredService<IClusterClient>()
            .GetStreamProvider(AuditStreams.ProviderName)
            .GetStream<AuditEvent>(StreamId.Create(AuditStreams.Namespace, auditEvent.ClinicId))
            .OnNextAsync(auditEvent);

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await _host.StopAsync(timeout.Token);
        }
        finally
        {
            _host.Dispose();
        }
    }
}
