using Npgsql;

namespace ClinicCluster.Cluster.Tests.Infrastructure;

/// <summary>
/// The private PostgreSQL server of scripts/postgres.sh (127.0.0.1 only), and a throwaway database
/// per test run on it. The server is started if needed and left as found: running if it was
/// running, stopped again if this run started it.
/// </summary>
public sealed class PostgresServer
{
    private PostgresServer(string owner, string app, string api, bool startedByUs)
    {
        OwnerConnectionString = owner;
        AppConnectionString = app;
        ApiConnectionString = api;
        StartedByUs = startedByUs;
    }

    /// <summary>The API's role (clinic_api: gateway list and audit enqueue only) on database "clinic".</summary>
    public string ApiConnectionString { get; }

    /// <summary>The schema owner on database "clinic" (may create databases).</summary>
    public string OwnerConnectionString { get; }

    /// <summary>The runtime role on database "clinic".</summary>
    public string AppConnectionString { get; }

    public bool StartedByUs { get; }

    public static async Task<PostgresServer> StartAsync()
    {
        var logs = Path.Combine(RepoPaths.Logs, "_postgres");
        Directory.CreateDirectory(logs);
        var running = await ScriptAsync("status", Path.Combine(logs, "status.log"), allowFailure: true) == 0;
        if (!running)
        {
            await ScriptAsync("start", Path.Combine(logs, "start.log"), allowFailure: false);
        }

        var envLog = Path.Combine(logs, "env.log");
        File.Delete(envLog);
        await ScriptAsync("env", envLog, allowFailure: false);
        var variables = ParseExports(await ChildProcess.ReadSharedAsync(envLog));
        File.Delete(envLog); // It holds passwords; only needed for this moment.
        if (!variables.TryGetValue("CLINIC_PG_OWNER", out var owner) || !variables.TryGetValue("CLINIC_PG_APP", out var app)
            || !variables.TryGetValue("CLINIC_PG_API", out var api))
        {
            throw new InvalidOperationException("scripts/postgres.sh env printed no CLINIC_PG_OWNER / CLINIC_PG_APP / CLINIC_PG_API.");
        }

        return new PostgresServer(owner, app, api, startedByUs: !running);
    }

    /// <summary>Stops the server only if this run started it (other work may be using a server it found running).</summary>
    public async Task StopIfStartedAsync()
    {
        if (StartedByUs)
        {
            await ScriptAsync("stop", Path.Combine(RepoPaths.Logs, "_postgres", "stop.log"), allowFailure: true);
        }
    }

    /// <summary>Creates an empty database owned by the schema owner and returns connection strings for it.</summary>
    public async Task<TestDatabase> CreateDatabaseAsync(string prefix)
    {
        var name = $"{prefix}_{DateTimeOffset.UtcNow:yyyyMMddHHmmss}_{Guid.NewGuid():N}"[..Math.Min(63, prefix.Length + 24)];
        await using (var connection = new NpgsqlConnection(OwnerConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\" OWNER clinic_owner", connection);
            await command.ExecuteNonQueryAsync();
        }

        return new TestDatabase(this, name, WithDatabase(OwnerConnectionString, name), WithDatabase(AppConnectionString, name))
        {
            ApiConnectionString = WithDatabase(ApiConnectionString, name),
        };
    }

    internal async Task DropDatabaseAsync(string name)
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(OwnerConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }

    private static string WithDatabase(string connectionString, string database) =>
        new NpgsqlConnectionStringBuilder(connectionString) { Database = database }.ConnectionString;

    private static async Task<int> ScriptAsync(string verb, string logPath, bool allowFailure)
    {
        var (exitCode, output) = await ChildProcess.RunAsync(
            "postgres.sh " + verb, "bash", [Path.Combine(RepoPaths.Root, "scripts", "postgres.sh"), verb],
            RepoPaths.Root, new Dictionary<string, string>(), logPath, TimeSpan.FromMinutes(5));
        if (exitCode != 0 && !allowFailure)
        {
            throw new InvalidOperationException($"scripts/postgres.sh {verb} failed (exit {exitCode}):\n{ChildProcess.Tail(output, 20)}");
        }

        return exitCode;
    }

    /// <summary>Reads <c>export NAME='value'</c> lines as the script prints them (single quotes, '\'' escapes).</summary>
    internal static Dictionary<string, string> ParseExports(string text)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (!line.StartsWith("export ", StringComparison.Ordinal) || line.IndexOf('=', StringComparison.Ordinal) is var eq && eq < 0)
            {
                continue;
            }

            var name = line[7..eq];
            var value = line[(eq + 1)..];
            if (value.Length >= 2 && value[0] == '\'' && value[^1] == '\'')
            {
                value = value[1..^1].Replace("'\\''", "'", StringComparison.Ordinal);
            }

            result[name] = value;
        }

        return result;
    }
}

/// <summary>One throwaway database: migrated by the silo's own <c>migrate</c> command, dropped at the end.</summary>
public sealed class TestDatabase(PostgresServer server, string name, string ownerConnectionString, string appConnectionString)
{
    public string Name { get; } = name;

    /// <summary>The schema owner (runs migrations, and the suite's own SQL checks).</summary>
    public string OwnerConnectionString { get; } = ownerConnectionString;

    /// <summary>The runtime role the silos and the API connect as.</summary>
    public string AppConnectionString { get; } = appConnectionString;

    /// <summary>The role the API connects as (clinic_api).</summary>
    public required string ApiConnectionString { get; init; }

    /// <summary>Runs <c>dotnet ClinicCluster.Silo.dll migrate</c> against this database.</summary>
    public async Task MigrateAsync()
    {
        var logPath = Path.Combine(RepoPaths.Logs, "_postgres", $"migrate-{Name}.log");
        File.Delete(logPath);
        var environment = new Dictionary<string, string>
        {
            ["DOTNET_ENVIRONMENT"] = "Development",
            ["Postgres__ConnectionString"] = AppConnectionString,
            ["Postgres__MigrationConnectionString"] = OwnerConnectionString,
        };
        var (exitCode, output) = await ChildProcess.RunAsync(
            "migrate", "dotnet", [Binaries.SiloPath, "migrate"], Binaries.SiloFolder, environment, logPath, TimeSpan.FromMinutes(3));
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"`{Binaries.SiloDll} migrate` failed (exit {exitCode}):\n{ChildProcess.Tail(output, 30)}");
        }
    }

    public async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(OwnerConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    public Task DropAsync() => server.DropDatabaseAsync(Name);
}
