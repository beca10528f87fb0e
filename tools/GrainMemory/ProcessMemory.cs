using System.Globalization;

namespace ClinicCluster.GrainMemory;

/// <summary>A process's resident set (VmRSS) and its peak since start (VmHWM), from /proc/PID/status, in MiB.</summary>
internal static class ProcessMemory
{
    public static (double Rss, double Peak) Read(int pid)
    {
        double rss = 0, peak = 0;
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                rss = Kib(line) / 1024.0;
            }
            else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                peak = Kib(line) / 1024.0;
            }
        }

        return (Math.Round(rss, 1), Math.Round(peak, 1));
    }

    private static long Kib(string line) =>
        long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
}
