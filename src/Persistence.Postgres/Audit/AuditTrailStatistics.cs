using Npgsql;

namespace ClinicCluster.Persistence.Postgres.Audit;

/// <summary>
/// Size figures of the audit trail for capacity planning and the scale tool (docs/capacity.md):
/// bytes on disk, tables and indexes, of every table an appended event lands in.
/// </summary>
public static class AuditTrailStatistics
{
    private const string Storage = """
        SELECT
            (SELECT coalesce(sum(pg_total_relation_size(relid)), 0) FROM pg_partition_tree('audit.events'))::bigint,
            pg_total_relation_size('audit.event_ids'),
            pg_total_relation_size('audit.chain_positions'),
            (SELECT coalesce(sum(sequence), 0) FROM audit.chain_heads)::bigint,
            ((SELECT coalesce(sum(pg_total_relation_size(relid)), 0) FROM pg_partition_tree('audit.event_patients'))
                + pg_total_relation_size('audit.time_marks'))::bigint
        """;

    /// <summary>The clinic's chain head sequence (0 before its first event).</summary>
    public static async Task<long> HeadAsync(NpgsqlDataSource dataSource, string clinicId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(AuditSql.Head);
        command.Parameters.AddWithValue("clinic_id", clinicId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? reader.GetInt64(0) : 0;
    }

    /// <summary>
    /// After a bulk load, what autovacuum would do later: statistics for the planner, the visibility
    /// map (index-only scans) of the events and of the query indexes. No time limit: it reads the trail.
    /// </summary>
    public static async Task VacuumAnalyzeAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("VACUUM (ANALYZE) audit.events, audit.event_patients, audit.time_marks");
        command.CommandTimeout = 0;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Bytes of the events (all partitions with their indexes), the id claims, the chain positions
    /// and the query indexes (audit.event_patients, audit.time_marks); events ever appended.
    /// </summary>
    public static async Task<AuditStorage> StorageAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(Storage);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new AuditStorage(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4));
    }
}

/// <summary>Audit storage in bytes; <see cref="Events"/> is the sum of the clinics' chain heads.</summary>
public sealed record AuditStorage(long EventBytes, long EventIdBytes, long ChainPositionBytes, long Events, long QueryIndexBytes)
{
    public long TotalBytes => EventBytes + EventIdBytes + ChainPositionBytes + QueryIndexBytes;

    public double BytesPerEvent => Events == 0 ? 0 : (double)TotalBytes / Events;
}
