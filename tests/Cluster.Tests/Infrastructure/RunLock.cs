using System.Globalization;
using System.Text;

namespace ClinicCluster.Cluster.Tests.Infrastructure;

/// <summary>
/// One run of this suite per checkout at a time. Two runs would share the built hosts, the log
/// folders and the machine's cores: they would overwrite each other's binaries and measure each
/// other's load. A second run waits (bounded) for the first; the lock is an OS file lock, so a
/// crashed run releases it.
/// </summary>
public sealed class RunLock : IDisposable
{
    private readonly FileStream _file;

    private RunLock(FileStream file) => _file = file;

    public static async Task<RunLock> AcquireAsync(TimeSpan timeout)
    {
        Directory.CreateDirectory(RepoPaths.Tmp);
        var path = Path.Combine(RepoPaths.Tmp, "cluster-run.lock");
        var deadline = DateTimeOffset.UtcNow + timeout;
        for (var attempt = 0; attempt < 10_000; attempt++)
        {
            try
            {
                var file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                file.SetLength(0);
                file.Write(Encoding.ASCII.GetBytes(Environment.ProcessId.ToString(CultureInfo.InvariantCulture)));
                file.Flush();
                return new RunLock(file);
            }
            catch (IOException) when (DateTimeOffset.UtcNow < deadline)
            {
                await Task.Delay(TimeSpan.FromSeconds(1));
            }
        }

        throw new TimeoutException($"Another run of the cluster tests held {path} for {timeout.TotalMinutes:0} minutes.");
    }

    public void Dispose() => _file.Dispose();
}
