using ClinicCluster.Persistence.Postgres.Migrations;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace ClinicCluster.Storage.Tests;

public sealed class MigrationTests
{
    [Fact]
    public void Embedded_migrations_start_with_the_schema_and_come_in_version_order()
    {
        var versions = MigrationCatalog.All.Select(m => m.Version).ToList();

        // 0001 creates the ledger every later migration is recorded in.
        Assert.Equal("0001_schema", MigrationCatalog.All[0].Name);
        Assert.Equal(versions.Order(), versions);
        Assert.Equal(versions.Count, versions.Distinct().Count());
    }

    [Fact]
    public async Task Migrating_twice_applies_nothing_the_second_time()
    {
        await using var database = await CreateAsync();

        var first = await database.MigrateAsync();
        var ledger = await LedgerAsync(database.Owner);
        var second = await database.MigrateAsync();

        Assert.Equal(MigrationCatalog.All.Select(m => m.Name), first.Applied.Select(m => m.Name));
        Assert.Empty(second.Applied);
        Assert.Equal(MigrationCatalog.All.Count, second.AlreadyApplied);
        Assert.Equal(ledger, await LedgerAsync(database.Owner));
    }

    [Fact]
    public async Task Concurrent_migrators_apply_each_migration_once()
    {
        await using var database = await CreateAsync();

        // Several silos (or Jobs) starting at the same moment on an empty database.
        var reports = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(database.MigrateAsync)));

        Assert.Equal(MigrationCatalog.All.Count, reports.Sum(r => r.Applied.Count));
        Assert.Equal(MigrationCatalog.All.Count, (int)await database.ScalarAsync<long>("SELECT count(*) FROM orleans.schema_migrations"));
    }

    [Fact]
    public async Task A_migration_changed_after_it_was_applied_is_refused()
    {
        await using var database = await CreateAsync();
        await database.MigrateAsync();
        var edited = MigrationCatalog.All
            .Select(m => m.Version == 2 ? m with { Sql = m.Sql + "\n-- edited", Checksum = MigrationCatalog.Checksum(m.Sql + "\n-- edited") } : m)
            .ToList();

        var migrator = new SchemaMigrator(NullLogger<SchemaMigrator>.Instance);
        var refused = await Assert.ThrowsAsync<MigrationChecksumException>(() => migrator.MigrateAsync(database.Owner, edited));

        Assert.Contains("0002_clustering", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failing_migration_leaves_nothing_behind()
    {
        await using var database = await CreateAsync();
        var last = MigrationCatalog.All[^1].Version;
        var broken = MigrationCatalog.All
            .Append(new Migration(last + 1, "broken", "CREATE TABLE orleans.half_done (id int); SELECT 1/0;", MigrationCatalog.Checksum("x")))
            .ToList();

        var migrator = new SchemaMigrator(NullLogger<SchemaMigrator>.Instance);
        await Assert.ThrowsAsync<PostgresException>(() => migrator.MigrateAsync(database.Owner, broken));

        Assert.False(await database.ScalarAsync<bool>("SELECT to_regclass('orleans.half_done') IS NOT NULL"));
        Assert.Equal(MigrationCatalog.All.Count, (int)await database.ScalarAsync<long>("SELECT count(*) FROM orleans.schema_migrations"));
    }

    private static async Task<OwnedDatabase> CreateAsync()
    {
        var database = new TestDatabase();
        await database.InitializeAsync();
        return new OwnedDatabase(database);
    }

    private static async Task<List<string>> LedgerAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT version || ' ' || name || ' ' || checksum || ' ' || applied_at FROM orleans.schema_migrations ORDER BY version", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            rows.Add(reader.GetString(0));
        }

        return rows;
    }

    /// <summary>A database for one test, dropped when the test ends.</summary>
    private sealed class OwnedDatabase(TestDatabase database) : IAsyncDisposable
    {
        public string Owner => database.Owner;

        public Task<MigrationReport> MigrateAsync() => database.MigrateAsync();

        public Task<T> ScalarAsync<T>(string sql) => database.ScalarAsync<T>(sql);

        public ValueTask DisposeAsync() => new(database.DisposeAsync());
    }
}
