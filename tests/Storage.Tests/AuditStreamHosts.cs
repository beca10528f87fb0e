using System.Globalization;
using System.Net;
using System.Net.Sockets;
using ClinicCluster.Audit;
using ClinicCluster.Silo.Hosting;
using Microsoft.AspNetCore.Builder;
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
/// A production-configured silo (AdoNet clustering, PostgreSQL storage, the durable audit stream)
/// that also takes extra settings, e.g. a short Audit:Stream:VisibilityTimeout.
/// </summary>
internal sealed class AuditStreamSilo : IAsyncDisposable
{
    private readonly WebApplication _app;

    private AuditStreamSilo(WebApplication app) => _app = app;

    public IServiceProvider Services => _app.Services;

    public static async Task<AuditStreamSilo> StartAsync(string appConnectionString, IDictionary<string, string?>? settings = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            EnvironmentName = "Development",
            ContentRootPath = AppContext.BaseDirectory,
        });
        var configuration = new Dictionary<string, string?>
        {
            ["Silo:Clustering"] = "AdoNet",
            ["Silo:Storage"] = "Postgres",
            ["Silo:SiloPort"] = FreePort().ToString(CultureInfo.InvariantCulture),
            ["Silo:GatewayPort"] = FreePort().ToString(CultureInfo.InvariantCulture),
            ["Silo:ShutdownTimeout"] = "00:00:05",
            ["Postgres:ConnectionString"] = appConnectionString,
            ["Urls"] = "http://127.0.0.1:0",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Orleans"] = "Error",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            configuration[key] = value;
        }

        builder.Configuration.AddInMemoryCollection(configuration);
        builder.AddClinicSilo();
        var app = builder.Build();
        await app.StartAsync();
        return new AuditStreamSilo(app);
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        try
        {
            await _app.StopAsync(timeout.Token);
        }
        finally
        {
            await _app.DisposeAsync();
        }
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        finally
        {
            listener.Stop();
        }
    }
}

/// <summary>
/// An Orleans client configured as the API is with Cluster:Clustering=AdoNet (ClusterClientExtensions):
/// gateways from the membership table, audit events into the durable queue (one queue).
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
                stream.ConfigurePartitioning(1);
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
