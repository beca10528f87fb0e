using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace ClinicCluster.Persistence.Postgres.Audit;

/// <summary>
/// Creates the audit trail's monthly partitions ahead of time (audit.ensure_months_ahead, migration
/// 0470): at start and every <see cref="AuditPartitionOptions.Interval"/>. A month created by hand
/// or by another silo is left as it is.
/// </summary>
public sealed partial class AuditPartitionMaintainer(
    NpgsqlDataSource dataSource,
    IOptions<AuditPartitionOptions> options,
    TimeProvider clock,
    ILogger<AuditPartitionMaintainer> logger) : BackgroundService
{
    /// <summary>Makes sure this month and the configured months after it exist; returns how many were created.</summary>
    public async Task<int> EnsureAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(AuditRetentionSql.EnsureMonthsAhead);
        command.Parameters.Add(new NpgsqlParameter("today", NpgsqlDbType.Date) { Value = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime) });
        command.Parameters.AddWithValue("months", options.Value.MonthsAhead);
        return (int)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.Interval, clock);
        do
        {
            try
            {
                var created = await EnsureAsync(stoppingToken);
                if (created > 0)
                {
                    LogCreated(logger, created);
                }
            }
            catch (NpgsqlException e)
            {
                LogFailed(logger, e.SqlState ?? e.GetType().Name);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Created {Count} monthly audit partition(s) ahead of time")]
    private static partial void LogCreated(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not create audit partitions ahead ({Error}); retrying at the next interval")]
    private static partial void LogFailed(ILogger logger, string error);
}
