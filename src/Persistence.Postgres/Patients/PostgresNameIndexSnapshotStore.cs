using ClinicCluster.Patients;
using Npgsql;

namespace ClinicCluster.Persistence.Postgres.Patients;

/// <summary>Name index snapshots in <c>orleans.name_index_snapshots</c> (decision 0060): one row per partition, replaced whole.</summary>
public sealed class PostgresNameIndexSnapshotStore(NpgsqlDataSource dataSource) : INameIndexSnapshotStore
{
    private const string Read = "SELECT payload FROM orleans.name_index_snapshots WHERE partition_key = @p";

    private const string Write = """
        INSERT INTO orleans.name_index_snapshots (partition_key, entries, payload) VALUES (@p, @n, @v)
        ON CONFLICT (partition_key) DO UPDATE SET entries = excluded.entries, payload = excluded.payload, written_at = now()
        """;

    // Snapshots are a cache: dropping one costs its partition's next activation time, never data.
    private const string DropOutsideKey = "DELETE FROM orleans.name_index_snapshots WHERE payload NOT LIKE 'phi2:' || @kek || ':%'";

    private const string DropOrphans = """
        DELETE FROM orleans.name_index_snapshots s
         WHERE NOT EXISTS (SELECT 1 FROM orleans.patient_index_entries e WHERE e.partition_key = s.partition_key)
        """;

    public async Task<string?> ReadAsync(string partition)
    {
        await using var command = dataSource.CreateCommand(Read);
        command.Parameters.AddWithValue("p", partition);
        return await command.ExecuteScalarAsync() as string;
    }

    public async Task WriteAsync(string partition, int entries, string payload)
    {
        await using var command = dataSource.CreateCommand(Write);
        command.Parameters.AddWithValue("p", partition);
        command.Parameters.AddWithValue("n", entries);
        command.Parameters.AddWithValue("v", payload);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// Drops the snapshots not encrypted under <paramref name="activeKeyId"/> (<c>encryption rotate</c>):
    /// the partitions write new ones, and no ciphertext under a retiring key is left behind.
    /// </summary>
    public async Task<int> DropOutsideKeyAsync(string activeKeyId)
    {
        await using var command = dataSource.CreateCommand(DropOutsideKey);
        command.Parameters.AddWithValue("kek", activeKeyId);
        return await command.ExecuteNonQueryAsync();
    }

    /// <summary>Drops the snapshots of partitions left without entries (<c>encryption reindex</c> empties a retired generation's).</summary>
    public async Task<int> DropOrphansAsync()
    {
        await using var command = dataSource.CreateCommand(DropOrphans);
        return await command.ExecuteNonQueryAsync();
    }
}
