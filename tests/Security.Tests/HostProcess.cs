using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ClinicCluster.Security.Tests;

/// <summary>
/// The silo or the API as a real process, from the builds this project references (their
/// runtimeconfig and deps files land beside the tests). The working directory is an empty folder,
/// so no appsettings.json is read: the environment given is the whole configuration, as in a pod.
/// </summary>
public sealed class HostProcess : IDisposable
{
    public const string Silo = "ClinicCluster.Silo.dll";
    public const string Api = "ClinicCluster.Api.dll";

    private static readonly string[] InheritedSettingPrefixes =
        ["Silo__", "Postgres__", "Cluster__", "ClusterTls__", "Encryption__", "Audit__", "Auth__", "Management__", "Dashboard__",
         "Logging__", "ASPNETCORE_", "DOTNET_ENVIRONMENT", "Urls", "POD_"];

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly string _folder;

    private HostProcess(string dll, IReadOnlyDictionary<string, string> environment)
    {
        _folder = Path.Combine(Path.GetTempPath(), "clinic-host-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(_folder);
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = _folder,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, dll));
        foreach (var key in info.Environment.Keys.Where(k => InheritedSettingPrefixes.Any(p => k.StartsWith(p, StringComparison.OrdinalIgnoreCase))).ToList())
        {
            info.Environment.Remove(key);
        }

        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        _process = new Process { StartInfo = info };
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>stdout and stderr so far, interleaved as they arrived.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static HostProcess Start(string dll, IReadOnlyDictionary<string, string> environment) => new(dll, environment);

    /// <summary>Starts the host and waits (bounded) for it to exit on its own.</summary>
    public static async Task<(int ExitCode, string Output)> RunToExitAsync(string dll, IReadOnlyDictionary<string, string> environment, TimeSpan timeout)
    {
        using var host = Start(dll, environment);
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await host._process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{dll} still runs after {timeout.TotalSeconds:0} s; it should have stopped. Output:\n{host.Output}");
        }

        host._process.WaitForExit(); // drains the redirected streams
        return (host._process.ExitCode, host.Output);
    }

    /// <summary>A loopback port nobody listens on (yet).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static string Url(int port) => "http://127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture);

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(TimeSpan.FromSeconds(10));
            }
        }
        catch (InvalidOperationException)
        {
            // Never started or already reaped.
        }

        _process.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
