using ClinicCluster.Audit;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ClinicCluster.Persistence.Postgres.Audit;

/// <summary>
/// Every <c>Audit:CheckpointInterval</c>, signs each clinic's chain head and writes it to
/// <c>Audit:CheckpointDirectory</c>. Every silo may run it: checkpoints only ever move forward, and
/// two silos writing the same head write the same anchor.
/// </summary>
public sealed partial class AuditCheckpointWriter(
    NpgsqlDataSource dataSource,
    AuditChainKeys keys,
    IOptions<AuditChainOptions> options,
    TimeProvider clock,
    ILogger<AuditCheckpointWriter> logger) : BackgroundService
{
    /// <summary>Writes one checkpoint per clinic now; returns how many moved forward.</summary>
    public async Task<int> WriteAsync(CancellationToken cancellationToken)
    {
        var checkpoints = new AuditCheckpoints(options.Value.CheckpointDirectory!, keys);
        var written = 0;
        await using var command = dataSource.CreateCommand(AuditSql.Heads);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var (clinicId, sequence, hash) = (reader.GetString(0), reader.GetInt64(1), reader.GetString(2));
            if (checkpoints.Read(clinicId) is { } current && current.Sequence > sequence)
            {
                // The chain is shorter than its anchor: leave the anchor, so verification reports it.
                LogBehindCheckpoint(logger, clinicId, sequence, current.Sequence);
                continue;
            }

            if (checkpoints.Write(checkpoints.Sign(clinicId, sequence, hash, clock.GetUtcNow())))
            {
                written++;
            }
        }

        return written;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.CheckpointInterval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await WriteAsync(stoppingToken);
            }
            catch (Exception e) when (e is NpgsqlException or IOException or UnauthorizedAccessException)
            {
                LogFailed(logger, e.GetType().Name);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Audit chain of clinic {ClinicId} ends at {Sequence}, behind its signed checkpoint at {Checkpoint}")]
    private static partial void LogBehindCheckpoint(ILogger logger, string clinicId, long sequence, long checkpoint);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not write audit checkpoints ({Error}); retrying at the next interval")]
    private static partial void LogFailed(ILogger logger, string error);
}
