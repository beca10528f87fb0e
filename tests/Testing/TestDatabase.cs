using ClinicCluster.Persistence.Postgres.Migrations;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace ClinicCluster.Testing;

/// <summary>
/// A throwaway database (<c>{prefix}_*</c>) on the <see cref="PostgresServer"/>, created by the
/// owner role, so every fixture starts from nothing and runs in parallel with the others. Dropped
/// on dispose.
/// </summary>
public sealed class TestDatabase(string prefix = "clinic_test") : IAsyncLifetime
{
    private PostgresServer? _server;

    public string Name { get; } = (prefix + "_" + Guid.NewGuid().ToString("N"))[..Math.Min(63, prefix.Length + 13)];

    /// <summary>clinic_owner on this database: runs migrations and the suites' own SQL checks.</summary>
    public string Owner => PostgresServer.OnDatabase(Server.Owner, Name);

    /// <summary>clinic_app on this database: what silos connect as.</summary>
    public string App => PostgresServer.OnDatabase(Server.App, Name);

    /// <summary>The CA of the server's TLS certificate.</summary>
    public string CaFile => Server.CaFile;

    /// <summary>clinic_api on this database: what the API connects as.</summary>
    public string Api => PostgresServer.OnDatabase(Server.Api, Name);

    /// <summary>clinic_retention on this database.</summary>
    public string Retention => PostgresServer.OnDatabase(Server.Retention, Name);

    /// <summary>The superuser on this database.</summary>
    public string Superuser => PostgresServer.OnDatabase(Server.Superuser, Name);

    public PostgresServer Server => _server ?? throw new InvalidOperationException("The database is not created.");

    /// <summary>Creates a database on the (started if need be) server.</summary>
    public static async Task<TestDatabase> CreateAsync(string prefix)
    {
        var database = new TestDatabase(prefix);
        await database.InitializeAsync();
        return database;
    }

    public async Task InitializeAsync()
    {
        _server = await PostgresServer.GetAsync();
        await using var connection = new NpgsqlConnection(Server.Owner);
        await connection.OpenAsync();
        await using var create = new NpgsqlCommand($"CREATE DATABASE \"{Name}\" OWNER clinic_owner", connection);
        await create.ExecuteNonQueryAsync();
    }

    /// <summary>Drops the database (best effort: a leftover test database on a throwaway server harms nothing).</summary>
    public async Task DisposeAsync()
    {
        try
        {
            await DropAsync();
        }
        catch (PostgresException)
        {
        }
    }

    public async Task DropAsync()
    {
        if (_server is null)
        {
            return;
        }

        // Pooled connections of the silos would keep the database busy.
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(Server.Owner);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// Migrates in this process with the silo's own migrator (needs a reference to the silo; the
    /// process suites run the silo's <c>migrate</c> command instead).
    /// </summary>
    public Task<MigrationReport> MigrateAsync() => new SchemaMigrator(NullLogger<SchemaMigrator>.Instance).MigrateAsync(Owner);

    /// <summary>An open connection as the owner.</summary>
    public async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(Owner);
        await connection.OpenAsync();
        return connection;
    }

    /// <summary>Runs a scalar query as the owner.</summary>
    public Task<T> ScalarAsync<T>(string sql, params (string Name, object Value)[] parameters) => ScalarAsync<T>(Owner, sql, parameters);

    public static async Task<T> ScalarAsync<T>(string connectionString, string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = Command(connection, sql, parameters);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Runs a statement as the owner (a test that tampers with stored rows) and answers how many rows it changed.</summary>
    public async Task<int> ExecuteAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = await OpenAsync();
        await using var command = Command(connection, sql, parameters);
        return await command.ExecuteNonQueryAsync();
    }

    /// <summary>Runs a query as the owner and reads each row with <paramref name="read"/>.</summary>
    public async Task<List<T>> QueryAsync<T>(string sql, Func<NpgsqlDataReader, T> read, params (string Name, object Value)[] parameters)
    {
        await using var connection = await OpenAsync();
        await using var command = Command(connection, sql, parameters);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<T>();
        while (await reader.ReadAsync())
        {
            rows.Add(read(reader));
        }

        return rows;
    }

    private static NpgsqlCommand Command(NpgsqlConnection connection, string sql, (string Name, object Value)[] parameters)
    {
        var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return command;
    }
}
