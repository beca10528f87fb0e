namespace ClinicCluster.Cluster.Tests.Infrastructure;

/// <summary>
/// Builds the silo and the API from this checkout into <c>.tmp/cluster-bin/{silo,api}</c>, once per
/// test run. Builds are serialised by a file lock (another run of the suite may be building) and
/// use their own artifacts folder, no build servers and no node reuse, so they neither share
/// intermediate files with anyone else's build nor leave processes behind.
/// </summary>
public static class Binaries
{
    public const string SiloDll = "ClinicCluster.Silo.dll";
    public const string ApiDll = "ClinicCluster.Api.dll";

    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static Task? _built;

    public static string SiloFolder => Path.Combine(RepoPaths.Bin, "silo");

    public static string ApiFolder => Path.Combine(RepoPaths.Bin, "api");

    public static string SiloPath => Path.Combine(SiloFolder, SiloDll);

    public static string ApiPath => Path.Combine(ApiFolder, ApiDll);

    /// <summary>Builds both hosts unless this run already did. CLUSTER_TESTS_SKIP_BUILD=1 reuses existing binaries.</summary>
    public static async Task EnsureBuiltAsync()
    {
        await Gate.WaitAsync();
        try
        {
            _built ??= BuildAsync();
        }
        finally
        {
            Gate.Release();
        }

        await _built;
    }

    private static async Task BuildAsync()
    {
        if (Environment.GetEnvironmentVariable("CLUSTER_TESTS_SKIP_BUILD") == "1" && File.Exists(SiloPath) && File.Exists(ApiPath))
        {
            return;
        }

        Directory.CreateDirectory(RepoPaths.Bin);
        await using var fileLock = await AcquireLockAsync(Path.Combine(RepoPaths.Bin, ".build.lock"), TimeSpan.FromMinutes(10));
        var logs = Path.Combine(RepoPaths.Logs, "_build");
        Directory.CreateDirectory(logs);
        await BuildOneAsync("src/Silo/Silo.csproj", SiloFolder, Path.Combine(logs, "silo.log"));
        await BuildOneAsync("src/Api/Api.csproj", ApiFolder, Path.Combine(logs, "api.log"));
    }

    private static async Task BuildOneAsync(string project, string output, string logPath)
    {
        File.Delete(logPath);
        string[] arguments =
        [
            "build", Path.Combine(RepoPaths.Root, project),
            "-o", output,
            "--artifacts-path", RepoPaths.BuildArtifacts,
            "-nologo", "-v", "quiet",
            "-nodeReuse:false", "-p:UseSharedCompilation=false",
        ];
        var environment = new Dictionary<string, string>
        {
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            ["DOTNET_NOLOGO"] = "1",
            ["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0",
            ["MSBUILDDISABLENODEREUSE"] = "1",
        };
        var (exitCode, log) = await ChildProcess.RunAsync(
            "build " + project, "dotnet", arguments, RepoPaths.Root, environment, logPath, TimeSpan.FromMinutes(8));
        if (exitCode != 0)
        {
            throw new InvalidOperationException(
                $"dotnet build {project} failed (exit {exitCode}); log {logPath}:\n{ChildProcess.Tail(log, 40)}");
        }
    }

    /// <summary>Runs <c>dotnet ClinicCluster.Silo.dll migrate</c> against <paramref name="database"/>, as a deployment does.</summary>
    public static async Task MigrateAsync(TestDatabase database)
    {
        var logPath = Path.Combine(RepoPaths.Logs, "_migrate", $"{database.Name}.log");
        Directory.CreateDirectory(Path.GetDirectoryName(logPath)!);
        File.Delete(logPath);
        var environment = new Dictionary<string, string>
        {
            ["DOTNET_ENVIRONMENT"] = "Development",
            ["Postgres__ConnectionString"] = database.App,
            ["Postgres__MigrationConnectionString"] = database.Owner,
        };
        var (exitCode, output) = await ChildProcess.RunAsync(
            "migrate", "dotnet", [SiloPath, "migrate"], SiloFolder, environment, logPath, TimeSpan.FromMinutes(3));
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"`{SiloDll} migrate` failed (exit {exitCode}):\n{ChildProcess.Tail(output, 30)}");
        }
    }

    /// <summary>An exclusive lock file, retried for a bounded time while another run holds it.</summary>
    private static async Task<FileStream> AcquireLockAsync(string path, TimeSpan timeout)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTimeOffset.UtcNow < deadline && attempt < 1200)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(500));
            }
        }
    }
}
