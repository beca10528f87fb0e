using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace ClinicCluster.Testing;

/// <summary>
/// The one runner of the suites' child processes (silos and the API as real processes, builds,
/// migrations, scripts): stdout and stderr are appended to a log file by the OS (the process is
/// exec'd from a one-line shell redirect, so its id is the real host's id and nothing in the test
/// process has to pump pipes). Host settings inherited from the test runner's environment are
/// removed, so the given environment is the whole configuration, as in a pod. Every instance is
/// registered until it has exited, so a fixture and process exit can end whatever a failed or
/// timed-out test left running.
/// </summary>
public sealed class ChildProcess : IDisposable
{
    private static readonly ConcurrentDictionary<int, ChildProcess> Running = new();

    private readonly Process _process;
    private readonly string _pidFile;

    static ChildProcess()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) => KillAll();
    }

    private ChildProcess(string name, Process process, string logPath)
    {
        Name = name;
        _process = process;
        LogPath = logPath;
        Id = process.Id;
        StartedAt = DateTimeOffset.UtcNow;
        Directory.CreateDirectory(PidFolder);
        _pidFile = Path.Combine(PidFolder, Id.ToString(CultureInfo.InvariantCulture));
        File.WriteAllText(_pidFile, $"{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)} {name}");
        Running[Id] = this;
    }

    /// <summary>Process ids of running children, so a later run can end what a crashed run left behind.</summary>
    public static string PidFolder => Path.Combine(Repository.Tmp, "test-pids");

    public string Name { get; }

    public int Id { get; }

    public string LogPath { get; }

    public DateTimeOffset StartedAt { get; }

    public bool HasExited
    {
        get
        {
            try
            {
                return _process.HasExited;
            }
            catch (InvalidOperationException)
            {
                return true;
            }
        }
    }

    public int? ExitCode => HasExited ? _process.ExitCode : null;

    /// <summary>
    /// Starts <paramref name="fileName"/> with its output appended to <paramref name="logPath"/>.
    /// Host configuration inherited from the test runner's environment is removed first, so a
    /// developer's shell settings never leak into the processes under test.
    /// </summary>
    public static ChildProcess Start(
        string name,
        string fileName,
        IEnumerable<string> arguments,
        string workingDirectory,
        IReadOnlyDictionary<string, string> environment,
        string logPath)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(logPath)!);
        File.AppendAllText(logPath,
            $"# {DateTimeOffset.UtcNow:O} start {name}: {fileName} {string.Join(' ', arguments)}{Environment.NewLine}");

        var info = new ProcessStartInfo("/bin/bash")
        {
            WorkingDirectory = workingDirectory,
            UseShellExecute = false,
            RedirectStandardInput = true,
        };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add("log=$1; shift; exec \"$@\" >>\"$log\" 2>&1 </dev/null");
        info.ArgumentList.Add("child");
        info.ArgumentList.Add(logPath);
        info.ArgumentList.Add(fileName);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var key in info.Environment.Keys.ToList())
        {
            if (IsHostSetting(key))
            {
                info.Environment.Remove(key);
            }
        }

        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {name}.");
        process.StandardInput.Close();
        return new ChildProcess(name, process, logPath);
    }

    /// <summary>Runs a command to completion (bounded) and returns its exit code and combined output.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(
        string name,
        string fileName,
        IEnumerable<string> arguments,
        string workingDirectory,
        IReadOnlyDictionary<string, string> environment,
        string logPath,
        TimeSpan timeout)
    {
        using var child = Start(name, fileName, arguments, workingDirectory, environment, logPath);
        if (!await child.WaitForExitAsync(timeout))
        {
            child.Kill();
            throw new TimeoutException($"{name} did not finish within {timeout.TotalSeconds:0} s; log: {logPath}");
        }

        return (child.ExitCode ?? -1, await ReadSharedAsync(logPath));
    }

    /// <summary>
    /// Runs a command to completion (bounded) with its output read from pipes, never written to a
    /// file: for commands whose output holds secrets (scripts/postgres.sh env prints passwords).
    /// </summary>
    public static async Task<(int ExitCode, string Output)> CaptureAsync(
        string fileName, IEnumerable<string> arguments, string workingDirectory, TimeSpan timeout)
    {
        var info = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', info.ArgumentList)} did not finish within {timeout.TotalSeconds:0} s.");
        }

        return (process.ExitCode, await output + await error);
    }

    /// <summary>SIGTERM: the graceful stop Kubernetes sends before a pod goes away.</summary>
    public async Task TerminateAsync()
    {
        if (HasExited)
        {
            return;
        }

        var info = new ProcessStartInfo("kill") { UseShellExecute = false };
        info.ArgumentList.Add("-TERM");
        info.ArgumentList.Add(Id.ToString(CultureInfo.InvariantCulture));
        using var kill = Process.Start(info) ?? throw new InvalidOperationException("Could not run kill.");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await kill.WaitForExitAsync(timeout.Token);
    }

    /// <summary>SIGKILL of the process and its children: a crash, with no chance to hand anything off.</summary>
    public void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // Exited between the check and the kill.
        }
    }

    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
            Forget();
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public string ReadLog() => ReadShared(LogPath);

    /// <summary>The last lines of the log, for failure messages.</summary>
    public string LogTail(int lines = 40) => Tail(ReadLog(), lines);

    public void Dispose()
    {
        Kill();
        try
        {
            _process.WaitForExit(TimeSpan.FromSeconds(10));
        }
        catch (InvalidOperationException)
        {
            // Never started or already reaped.
        }

        Forget();
        _process.Dispose();
    }

    /// <summary>Kills every child still running. Safe to call more than once and from any thread.</summary>
    public static void KillAll()
    {
        foreach (var child in Running.Values)
        {
            child.Kill();
        }

        foreach (var child in Running.Values)
        {
            try
            {
                child._process.WaitForExit(TimeSpan.FromSeconds(5));
            }
            catch (InvalidOperationException)
            {
                // Already reaped.
            }

            child.Forget();
        }
    }

    /// <summary>
    /// Kills hosts a previous, crashed run left behind: only ids it recorded itself, only if the
    /// test process that started them is gone, and only if the process still runs a binary from
    /// <paramref name="binaries"/> (the suite's own build output).
    /// </summary>
    public static void ReapLeftovers(string binaries)
    {
        if (!Directory.Exists(PidFolder))
        {
            return;
        }

        foreach (var file in Directory.GetFiles(PidFolder))
        {
            if (!int.TryParse(Path.GetFileName(file), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || Running.ContainsKey(pid))
            {
                continue;
            }

            string owner;
            try
            {
                owner = File.ReadAllText(file).Split(' ')[0];
            }
            catch (IOException)
            {
                continue;
            }

            if (int.TryParse(owner, NumberStyles.None, CultureInfo.InvariantCulture, out var ownerPid) && ownerPid != Environment.ProcessId && IsAlive(ownerPid))
            {
                continue; // Another run of the suite is still using it.
            }

            if (ReadCommandLine(pid) is { } commandLine && commandLine.Contains(binaries, StringComparison.Ordinal))
            {
                try
                {
                    using var leftover = Process.GetProcessById(pid);
                    leftover.Kill(entireProcessTree: true);
                    leftover.WaitForExit(TimeSpan.FromSeconds(5));
                }
                catch (Exception exception) when (exception is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
                {
                    // Gone in the meantime.
                }
            }

            File.Delete(file);
        }
    }

    private static bool IsAlive(int pid) => Directory.Exists($"/proc/{pid}");

    public static string ReadShared(string path)
    {
        if (!File.Exists(path))
        {
            return "";
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    public static async Task<string> ReadSharedAsync(string path)
    {
        if (!File.Exists(path))
        {
            return "";
        }

        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return await reader.ReadToEndAsync();
    }

    public static string Tail(string text, int lines)
    {
        var all = text.Split('\n');
        return string.Join('\n', all.Skip(Math.Max(0, all.Length - lines)));
    }

    private void Forget()
    {
        if (Running.TryRemove(Id, out _))
        {
            try
            {
                File.Delete(_pidFile);
            }
            catch (IOException)
            {
                // Best effort: the next run checks the command line before acting on a stale id.
            }
        }
    }

    private static string? ReadCommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>
    /// Settings the hosts (or a nested build) read from the environment; the suite sets the ones it
    /// wants explicitly.
    /// </summary>
    private static bool IsHostSetting(string key)
    {
        string[] prefixes =
        [
            "Silo__", "Postgres__", "Cluster__", "ClusterTls__", "Encryption__", "Audit__", "Management__", "Dashboard__",
            "Auth__", "Logging__", "Scheduling__", "Orleans__", "Demo__",
            "Kestrel__", "ConnectionStrings__", "ASPNETCORE_", "DOTNET_ENVIRONMENT", "DOTNET_URLS", "Urls", "POD_",
            // Set by `dotnet test` for its own MSBuild; a nested build must find its own.
            "MSBuild", "VSTEST_",
        ];
        return prefixes.Any(p => key.StartsWith(p, StringComparison.OrdinalIgnoreCase));
    }
}
