using System.Globalization;
using System.Text.RegularExpressions;

namespace ClinicCluster.Cluster.Tests.Infrastructure;

/// <summary>A silo process and the ports it was given.</summary>
public sealed class SiloProcess(string name, ChildProcess process, int httpPort, int siloPort, int gatewayPort)
{
    public string Name { get; } = name;

    public ChildProcess Process { get; } = process;

    public int HttpPort { get; } = httpPort;

    public int SiloPort { get; } = siloPort;

    public int GatewayPort { get; } = gatewayPort;

    /// <summary>How many lines of this silo's log contain <paramref name="text"/>.</summary>
    public int CountLogLines(string text) =>
        Process.ReadLog().Split('\n').Count(line => line.Contains(text, StringComparison.Ordinal));

    /// <summary>
    /// When this silo first logged <paramref name="other"/> as dead in a membership snapshot (the
    /// development log format has whole seconds, local time), or null if it never did.
    /// </summary>
    public DateTimeOffset? SawDeadAt(SiloProcess other)
    {
        var dead = new Regex($@"S127\.0\.0\.1:{other.SiloPort}:\d+ SiloName=\S+ Status=Dead", RegexOptions.CultureInvariant);
        var line = Process.ReadLog().Split('\n').FirstOrDefault(l => dead.IsMatch(l));
        if (line is null || line.Length < 8
            || !TimeOnly.TryParseExact(line[..8], "HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
        {
            return null;
        }

        var local = DateOnly.FromDateTime(Process.StartedAt.LocalDateTime).ToDateTime(time);
        return new DateTimeOffset(local, TimeZoneInfo.Local.GetUtcOffset(local));
    }
}
