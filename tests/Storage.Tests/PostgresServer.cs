using System.Diagnostics;
using System.Reflection;
using Npgsql;

namespace ClinicCluster.Storage.Tests;

/// <summary>
/// The private PostgreSQL server of scripts/postgres.sh, started once per test run (or found
/// running), and the owner and application connection strings it prints.
/// </summary>
internal sealed class PostgresServer
{
    private static readonly Lazy<Task<PostgresServer>> Instance = new(StartAsync);

    private PostgresServer(string owner, string app, string api, string retention, string superuser, string caFile)
    {
        Owner = owner;
        App = app;
        Api = api;
        Retention = retention;
        Superuser = superuser;
        CaFile = caFile;
    }

    /// <summary>clinic_api: the API's role (gateway list and audit enqueue only).</summary>
    public string Api { get; }

    /// <summary>clinic_retention: the only role that may truncate or drop audit history.</summary>
    public string Retention { get; }

    /// <summary>clinic_owner on the "clinic" database: may create databases and owns what it creates.</summary>
    public string Owner { get; }

    /// <summary>clinic_app on the "clinic" database: the silos' least-privileged runtime role.</summary>
    public string App { get; }

    /// <summary>The bootstrap superuser over the private socket: for tests that play an intruder.</summary>
    public string Superuser { get; }

    /// <summary>The CA that signed the server's TLS certificate (for SSL Mode=VerifyFull).</summary>
    public string CaFile { get; }

    public static Task<PostgresServer> GetAsync() => Instance.Value;

    /// <summary>The same role's connection string to another database.</summary>
    public static string OnDatabase(string connectionString, string database) =>
        new NpgsqlConnectionStringBuilder(connectionString) { Database = database }.ConnectionString;

    private static async Task<PostgresServer> StartAsync()
    {
        var script = Path.Combine(RepositoryRoot(), "scripts", "postgres.sh");
        await RunAsync(script, "start");
        var exports = (await RunAsync(script, "env"))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Trim())
            .Where(line => line.StartsWith("export ", StringComparison.Ordinal))
            .Select(line => line["export ".Length..].Split('=', 2))
            .ToDictionary(pair => pair[0], pair => pair[1].Trim('\''), StringComparer.Ordinal);
        return new PostgresServer(exports["CLINIC_PG_OWNER"], exports["CLINIC_PG_APP"], exports["CLINIC_PG_API"], exports["CLINIC_PG_RETENTION"],
            exports["CLINIC_PG_SUPERUSER"], exports["CLINIC_PG_CA"]);
    }

    private static async Task<string> RunAsync(string script, string verb)
    {
        var start = new ProcessStartInfo("bash", [script, verb])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("bash did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"scripts/postgres.sh {verb} failed ({process.ExitCode}): {await error}{await output}");
        }

        return await output;
    }

    /// <summary>Recorded at build time; the output folder may be anywhere (--artifacts-path).</summary>
    private static string RepositoryRoot()
    {
        var recorded = typeof(PostgresServer).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "RepositoryRoot")?.Value;
        if (recorded is not null && File.Exists(Path.Combine(recorded, "Orleans.sln")))
        {
            return recorded;
        }

        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Orleans.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Orleans.sln not found (recorded root: " + recorded + ").");
    }
}
