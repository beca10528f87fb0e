using System.Globalization;

namespace ClinicCluster.Security.Tests;

/// <summary>
/// The silo or the API as a real process (the suites' one runner, <see cref="ChildProcess"/>) from
/// the builds this project references (their runtimeconfig and deps files land beside the tests).
/// The working directory is a folder of its own holding nothing but the output log, so no
/// appsettings.json is read: the environment given is the whole configuration, as in a pod.
/// </summary>
public sealed class HostProcess : IDisposable
{
    public const string Silo = "ClinicCluster.Silo.dll";
    public const string Api = "ClinicCluster.Api.dll";

    private readonly ChildProcess _process;
    private readonly string _folder;

    private HostProcess(string dll, IReadOnlyDictionary<string, string> environment)
    {
        _folder = Path.Combine(Path.GetTempPath(), "clinic-host-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(_folder);
        _process = ChildProcess.Start(Path.GetFileNameWithoutExtension(dll), "dotnet", [Path.Combine(AppContext.BaseDirectory, dll)],
            _folder, environment, Path.Combine(_folder, "output.log"));
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>stdout and stderr so far, interleaved as they arrived (without the runner's own first line).</summary>
    public string Output => string.Join('\n', _process.ReadLog().Split('\n').Skip(1));

    public static HostProcess Start(string dll, IReadOnlyDictionary<string, string> environment) => new(dll, environment);

    /// <summary>Starts the host and waits (bounded) for it to exit on its own.</summary>
    public static async Task<(int ExitCode, string Output)> RunToExitAsync(string dll, IReadOnlyDictionary<string, string> environment, TimeSpan timeout)
    {
        using var host = Start(dll, environment);
        if (!await host._process.WaitForExitAsync(timeout))
        {
            throw new TimeoutException($"{dll} still runs after {timeout.TotalSeconds:0} s; it should have stopped. Output:\n{host.Output}");
        }

        return (host._process.ExitCode ?? -1, host.Output);
    }

    public static string Url(int port) => "http://127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture);

    public void Dispose()
    {
        _process.Dispose();
        Directory.Delete(_folder, recursive: true);
    }
}
