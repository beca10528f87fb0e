using System.Diagnostics;
using Npgsql;

namespace ClinicCluster.Persistence.Postgres.Migrations;

/// <summary>
/// Brings the database schema up to the embedded migrations. Each pending migration runs in its
/// own transaction together with its ledger row, so a failure leaves no half-applied file. The
/// whole run holds a PostgreSQL advisory lock: silos or Jobs starting together queue up, and the
/// ones that get the lock later find nothing left to do.
/// </summary>
public sealed partial class SchemaMigrator(ILogger<SchemaMigrator> logger)
{
    /// <summary>Any fixed number works, as long as every build uses the same one ("clinicmg").</summary>
    private const long AdvisoryLockKey = 0x636C_696E_6963_6D67;

    /// <summary>Generous: a migration may rewrite a large table; a waiting migrator waits this long too.</summary>
    private const int CommandTimeoutSeconds = 600;

    /// <summary>Applies every embedded migration that the database does not have yet.</summary>
    public Task<MigrationReport> MigrateAsync(string connectionString, CancellationToken cancellationToken = default) =>
        MigrateAsync(connectionString, MigrationCatalog.All, cancellationToken);

    /// <summary>Applies the given migrations (in version order) that the database does not have yet.</summary>
    public async Task<MigrationReport> MigrateAsync(string connectionString, IReadOnlyList<Migration> migrations, CancellationToken cancellationToken = default)
    {
        // No pooling: the advisory lock belongs to the session, and closing this physical
        // connection is then a guaranteed release even if the unlock below never runs.
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync(cancellationToken);

        LogWaitingForLock(logger, builder.Database ?? "(default)");
        await ExecuteAsync(connection, null, "SELECT pg_advisory_lock(@key)", cancellationToken, ("key", AdvisoryLockKey));
        try
        {
            var applied = await ReadAppliedAsync(connection, cancellationToken);
            VerifyUnchanged(migrations, applied);
            foreach (var version in applied.Keys.Where(v => migrations.All(m => m.Version != v)))
            {
                LogUnknownMigration(logger, version, applied[version].Name);
            }

            var pending = migrations.Where(m => !applied.ContainsKey(m.Version)).OrderBy(m => m.Version).ToList();
            foreach (var migration in pending)
            {
                await ApplyAsync(connection, migration, cancellationToken);
            }

            if (pending.Count == 0)
            {
                LogUpToDate(logger, applied.Count);
            }

            return new MigrationReport(pending, migrations.Count - pending.Count);
        }
        finally
        {
            // Not cancellable: the lock must not outlive this run on a connection that stays open.
            await ExecuteAsync(connection, null, "SELECT pg_advisory_unlock(@key)", CancellationToken.None, ("key", AdvisoryLockKey));
        }
    }

    private async Task ApplyAsync(NpgsqlConnection connection, Migration migration, CancellationToken cancellationToken)
    {
        LogApplying(logger, migration.Name);
        var started = Stopwatch.GetTimestamp();
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await ExecuteAsync(connection, transaction, migration.Sql, cancellationToken);
        await ExecuteAsync(connection, transaction,
            "INSERT INTO orleans.schema_migrations (version, name, checksum) VALUES (@version, @name, @checksum)",
            cancellationToken, ("version", migration.Version), ("name", migration.Name), ("checksum", migration.Checksum));
        await transaction.CommitAsync(cancellationToken);
        LogApplied(logger, migration.Name, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    private static async Task<Dictionary<int, (string Name, string Checksum)>> ReadAppliedAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var applied = new Dictionary<int, (string Name, string Checksum)>();
        await using (var exists = new NpgsqlCommand("SELECT to_regclass('orleans.schema_migrations') IS NOT NULL", connection))
        {
            // A fresh database: the ledger arrives with the first migration.
            if (await exists.ExecuteScalarAsync(cancellationToken) is not true)
            {
                return applied;
            }
        }

        await using var command = new NpgsqlCommand("SELECT version, name, checksum FROM orleans.schema_migrations", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            applied[reader.GetInt32(0)] = (reader.GetString(1), reader.GetString(2));
        }

        return applied;
    }

    private static void VerifyUnchanged(IReadOnlyList<Migration> migrations, Dictionary<int, (string Name, string Checksum)> applied)
    {
        foreach (var migration in migrations)
        {
            if (applied.TryGetValue(migration.Version, out var recorded) && recorded.Checksum != migration.Checksum)
            {
                throw new MigrationChecksumException(
                    $"Migration {migration.Name} was changed after it was applied (database checksum {recorded.Checksum[..12]}, " +
                    $"file {migration.Checksum[..12]}). Restore the file and put the change in a new migration.");
            }
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql,
        CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction) { CommandTimeout = CommandTimeoutSeconds };
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Waiting for the migration lock on database {Database}.")]
    private static partial void LogWaitingForLock(ILogger logger, string database);

    [LoggerMessage(Level = LogLevel.Information, Message = "Applying migration {Migration}.")]
    private static partial void LogApplying(ILogger logger, string migration);

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied migration {Migration} in {ElapsedMs} ms.")]
    private static partial void LogApplied(ILogger logger, string migration, long elapsedMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "Schema is up to date ({Count} migrations applied earlier).")]
    private static partial void LogUpToDate(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The database has migration {Version} ({Name}) that this build does not know; a newer build applied it.")]
    private static partial void LogUnknownMigration(ILogger logger, int version, string name);
}
