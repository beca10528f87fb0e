using ClinicCluster.Persistence.Postgres.Migrations;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace ClinicCluster.Storage.Tests;

/// <summary>
/// A throwaway database (clinic_test_*) created by the owner role, so every fixture starts from
/// nothing and runs in parallel with the others. Dropped on dispose.
/// </summary>
public sealed class TestDatabase : IAsyncLifetime
{
    private PostgresServer? _server;

    public string Name { get; } = "clinic_test_" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>clinic_owner on this database: runs migrations.</summary>
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

    private PostgresServer Server => _server ?? throw new InvalidOperationException("The database is not created.");

    public async Task InitializeAsync()
    {
        _server = await PostgresServer.GetAsync();
        await using var connection = new NpgsqlConnection(Server.Owner);
        await connection.OpenAsync();
        await using var create = new NpgsqlCommand($"CREATE DATABASE {Name}", connection);
        await create.ExecuteNonQueryAsync();
    }

    public async Task DisposeAsync()
    {
        if (_server is null)
        {
            return;
        }

        // Pooled connections of the silos would keep the database busy.
        NpgsqlConnection.ClearAllPools();
        try
        {
            await using var connection = new NpgsqlConnection(Server.Owner);
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
        }
        catch (PostgresException)
        {
            // Best effort: a leftover test database on a throwaway server harms nothing.
        }
    }

    public Task<MigrationReport> MigrateAsync() => new SchemaMigrator(NullLogger<SchemaMigrator>.Instance).MigrateAsync(Owner);

    /// <summary>Runs a scalar query as the owner.</summary>
    public Task<T> ScalarAsync<T>(string sql, params (string Name, object Value)[] parameters) => ScalarAsync<T>(Owner, sql, parameters);

    public static async Task<T> ScalarAsync<T>(string connectionString, string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return (T)(await command.ExecuteScalarAsync())!;
    }
}
