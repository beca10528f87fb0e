using System.Diagnostics.Metrics;
using ClinicCluster.Audit;
using ClinicCluster.Telemetry;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Configuration;

namespace ClinicCluster.Persistence.Postgres.Telemetry;

/// <summary>
/// <c>audit.backlog</c> and <c>audit.backlog.age</c> (meter ClinicCluster.Audit): audit events
/// queued in orleans.stream_messages and not yet delivered to the trail, and how long the oldest
/// has waited. Every silo reports the same whole-queue figures; dashboards and alerts take the max.
/// </summary>
internal sealed class AuditBacklogGauge : IHostedService, IDisposable
{
    private const string BacklogSql = """
        SELECT count(*), coalesce(extract(epoch FROM now() - min(created_on)), 0)::float8
        FROM orleans.stream_messages WHERE service_id = @service_id AND provider_id = @provider_id
        """;

    private readonly NpgsqlDataSource _dataSource;
    private readonly string _serviceId;
    private readonly CachedReading<Backlog> _reading;

    public AuditBacklogGauge(
        NpgsqlDataSource dataSource,
        IOptions<ClusterOptions> cluster,
        IOptions<DatabaseGaugeOptions> options,
        IMeterFactory meters,
        ILogger<AuditBacklogGauge> logger)
    {
        _dataSource = dataSource;
        _serviceId = cluster.Value.ServiceId;
        _reading = new(ReadAsync, options.Value.DatabaseGaugeInterval, logger, "the audit backlog");
        var meter = meters.Create(TelemetryNames.AuditMeter);
        meter.CreateObservableGauge("audit.backlog", () => Observe(b => b.Count), "{event}",
            "Audit events queued and not yet appended to the trail.");
        meter.CreateObservableGauge("audit.backlog.age", () => Observe(b => b.OldestSeconds), "s",
            "How long the oldest queued audit event has waited.");
    }

    // A hosted service only so it exists from the start; the reading runs when a collector asks.
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose()
    {
        // The meter belongs to the meter factory, which disposes it with the host.
        _reading.Dispose();
    }

    private IEnumerable<Measurement<double>> Observe(Func<Backlog, double> value) =>
        _reading.Current is { } backlog ? [new Measurement<double>(value(backlog))] : [];

    private async Task<Backlog> ReadAsync(CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand(BacklogSql);
        command.Parameters.AddWithValue("service_id", _serviceId);
        command.Parameters.AddWithValue("provider_id", AuditStreams.ProviderName);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new Backlog(reader.GetInt64(0), reader.GetDouble(1));
    }

    private sealed record Backlog(long Count, double OldestSeconds);
}
