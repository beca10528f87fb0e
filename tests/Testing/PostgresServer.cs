using Npgsql;

namespace ClinicCluster.Testing;

/// <summary>
/// The private PostgreSQL server of scripts/postgres.sh (127.0.0.1 only, its own PGPORT_CLINIC),
/// started once per test process if it is not running, and the connection strings of its roles
/// that <c>postgres.sh env</c> prints. Every suite creates its databases on it (<see cref="TestDatabase"/>).
/// </summary>
public sealed class PostgresServer
{
    private static readonly Lazy<Task<PostgresServer>> Instance = new(StartAsync);

    private readonly IReadOnlyDictionary<string, string> _exports;

    private PostgresServer(IReadOnlyDictionary<string, string> exports, bool startedByUs)
    {
        _exports = exports;
        StartedByUs = startedByUs;
    }

    /// <summary>clinic_api: the API's role (gateway list and audit enqueue only).</summary>
    public string Api => Export("CLINIC_PG_API");

    /// <summary>clinic_retention: the only role that may truncate or drop audit history.</summary>
    public string Retention => Export("CLINIC_PG_RETENTION");

    /// <summary>clinic_owner on the "clinic" database: may create databases and owns what it creates.</summary>
    public string Owner => Export("CLINIC_PG_OWNER");

    /// <summary>clinic_app on the "clinic" database: the silos' least-privileged runtime role.</summary>
    public string App => Export("CLINIC_PG_APP");

    /// <summary>The bootstrap superuser over the private socket: for tests that play an intruder.</summary>
    public string Superuser => Export("CLINIC_PG_SUPERUSER");

    /// <summary>The CA that signed the server's TLS certificate (for SSL Mode=VerifyFull).</summary>
    public string CaFile => Export("CLINIC_PG_CA");

    /// <summary>Whether this process started the server (it was not running before).</summary>
    public bool StartedByUs { get; }

    public static Task<PostgresServer> GetAsync() => Instance.Value;

    /// <summary>The same role's connection string to another database.</summary>
    public static string OnDatabase(string connectionString, string database) =>
        new NpgsqlConnectionStringBuilder(connectionString) { Database = database }.ConnectionString;

    /// <summary>Stops the server only if this process started it (other work may be using a server it found running).</summary>
    public async Task StopIfStartedAsync()
    {
        if (StartedByUs)
        {
            await ScriptAsync("stop", allowFailure: true);
        }
    }

    /// <summary>
    /// Restarts the server on the same data (fast shutdown: open sessions are cut). Every connection
    /// of the process breaks, so a test that calls it must run alone.
    /// </summary>
    public Task RestartAsync() => ScriptAsync("restart", allowFailure: false);

    private static async Task<PostgresServer> StartAsync()
    {
        var running = (await ScriptAsync("status", allowFailure: true)).ExitCode == 0;
        if (!running)
        {
            await ScriptAsync("start", allowFailure: false);
        }

        // Read from the pipe, never written to a log: it holds passwords.
        var (_, env) = await ScriptAsync("env", allowFailure: false);
        return new PostgresServer(ParseExports(env), startedByUs: !running);
    }

    private static async Task<(int ExitCode, string Output)> ScriptAsync(string verb, bool allowFailure)
    {
        var (exitCode, output) = await ChildProcess.CaptureAsync(
            "bash", [Path.Combine(Repository.Root, "scripts", "postgres.sh"), verb], Repository.Root, TimeSpan.FromMinutes(5));
        if (exitCode != 0 && !allowFailure)
        {
            throw new InvalidOperationException($"scripts/postgres.sh {verb} failed (exit {exitCode}):\n{ChildProcess.Tail(output, 20)}");
        }

        return (exitCode, output);
    }

    private string Export(string name) =>
        _exports.TryGetValue(name, out var value) ? value : throw new InvalidOperationException($"scripts/postgres.sh env printed no {name}.");

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
