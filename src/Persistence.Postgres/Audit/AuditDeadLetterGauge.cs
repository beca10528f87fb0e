using System.Diagnostics.Metrics;
using ClinicCluster.Audit;
using ClinicCluster.Telemetry;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Configuration;

namespace ClinicCluster.Persistence.Postgres.Audit;

/// <summary>
/// The gauge <c>audit.dead_letters</c> (meter "ClinicCluster.Audit"): audit events that could not
/// be delivered and wait in orleans.stream_dead_letters for an operator. Anything above zero needs
/// attention. The count is refreshed in the background when a collector reads the gauge, at most
/// every 30 seconds, so metrics collection never waits for (or hammers) the database.
/// </summary>
internal sealed partial class AuditDeadLetterGauge : IHostedService, IDisposable
{
    /// <summary>The same meter name the API and AuditLogGrain record under.</summary>
    public const string MeterName = TelemetryNames.AuditMeter;

    private const string CountSql =
        "SELECT count(*) FROM orleans.stream_dead_letters WHERE service_id = @service_id AND provider_id = @provider_id";

    private static readonly long RefreshIntervalMs = (long)TimeSpan.FromSeconds(30).TotalMilliseconds;

    private readonly NpgsqlDataSource _dataSource;
    private readonly string _serviceId;
    private readonly ILogger<AuditDeadLetterGauge> _logger;
    private readonly Meter _meter;
    private readonly CancellationTokenSource _stopping = new();
    private long _count = -1;
    private long _nextRefreshAt = long.MinValue;
    private int _refreshing;

    public AuditDeadLetterGauge(NpgsqlDataSource dataSource, IOptions<ClusterOptions> cluster, IMeterFactory meters, ILogger<AuditDeadLetterGauge> logger)
    {
        _dataSource = dataSource;
        _serviceId = cluster.Value.ServiceId;
        _logger = logger;
        _meter = meters.Create(MeterName);
        _meter.CreateObservableGauge("audit.dead_letters", Observe, "{event}",
            "Audit events that could not be delivered and wait in the dead-letter table.");
    }

    // Created with the host so the gauge exists from the start; there is nothing to start or stop.
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _stopping.Cancel();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _stopping.Cancel();
        _stopping.Dispose();
        _meter.Dispose();
    }

    /// <summary>The last count read (none before the first read completes); starts a refresh when due.</summary>
    private IEnumerable<Measurement<long>> Observe()
    {
        if (Environment.TickCount64 >= Volatile.Read(ref _nextRefreshAt)
            && !_stopping.IsCancellationRequested
            && Interlocked.CompareExchange(ref _refreshing, 1, 0) == 0)
        {
            _ = RefreshAsync();
        }

        var count = Volatile.Read(ref _count);
        return count < 0 ? [] : [new Measurement<long>(count)];
    }

    private async Task RefreshAsync()
    {
        try
        {
            Volatile.Write(ref _nextRefreshAt, Environment.TickCount64 + RefreshIntervalMs);
            await using var command = _dataSource.CreateCommand(CountSql);
            command.Parameters.AddWithValue("service_id", _serviceId);
            command.Parameters.AddWithValue("provider_id", AuditStreams.ProviderName);
            Volatile.Write(ref _count, (long)(await command.ExecuteScalarAsync(_stopping.Token))!);
        }
        catch (Exception exception) when (exception is NpgsqlException or OperationCanceledException or ObjectDisposedException)
        {
            // A metric must never take the silo down; the last known count stays until the next try.
            LogRefreshFailed(_logger, exception);
        }
        finally
        {
            Volatile.Write(ref _refreshing, 0);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not count the audit dead letters; the gauge keeps its last value")]
    private static partial void LogRefreshFailed(ILogger logger, Exception exception);
}
