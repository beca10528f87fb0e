using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace ClinicCluster.Testing;

/// <summary>
/// Free loopback TCP ports for listeners a test is about to start (a silo, a gateway, an API).
/// </summary>
/// <remarks>
/// Design (the same rule as <c>free_port</c> in scripts/lib.sh): the port is taken from a range
/// <em>below</em> the kernel's ephemeral range (/proc/sys/net/ipv4/ip_local_port_range). Asking
/// the kernel for port 0 and closing the socket again is racy: the port it hands out lies in the
/// ephemeral range, and before the host binds it an outgoing connection (a pooled database
/// connection, an HTTP client) may get it as its local end. Below that range the kernel never
/// assigns a port by itself, so only explicit listeners compete, and those are excluded three
/// ways: no socket in any state holds the port (/proc/net/tcp and tcp6), this process has not
/// handed it out before (several ports are picked for one host before it binds any), and no
/// other test process on the machine holds its claim file (parallel test projects and worktrees
/// share one loopback). A final bind proves the port is free at the moment it is handed out.
/// Where the test itself listens, it should keep its own socket instead (bind to port 0 and read
/// the port back), as <c>StartupFailureTests</c> does.
/// </remarks>
public static class Ports
{
    private const int RangeStart = 20000;

    private static readonly HashSet<int> Handed = [];
    private static readonly List<FileStream> Claims = [];
    private static readonly Lock Sync = new();
    private static readonly string ClaimFolder = Path.Combine(Path.GetTempPath(), "clinic-test-ports");

    /// <summary>A loopback port nothing uses and nothing else in this run or on this machine's other test runs will be given.</summary>
    public static int Free()
    {
        lock (Sync)
        {
            var (from, span) = Range();
            for (var attempt = 0; attempt < 500; attempt++)
            {
                var port = from + Random.Shared.Next(span);
                if (Handed.Contains(port) || InUse().Contains(port) || !TryClaim(port) || !CanBind(port))
                {
                    continue;
                }

                Handed.Add(port);
                return port;
            }

            throw new InvalidOperationException($"No free loopback port in {from}-{from + span - 1}.");
        }
    }

    /// <summary>The ports between 20000 and the ephemeral range; on a machine whose ephemeral range starts low, those above it.</summary>
    private static (int From, int Span) Range()
    {
        var (low, high) = (32768, 60999);
        try
        {
            var parts = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range")
                .Split((char[])['\t', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries);
            (low, high) = (int.Parse(parts[0], CultureInfo.InvariantCulture), int.Parse(parts[1], CultureInfo.InvariantCulture));
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            // Not Linux: the common default.
        }

        return low - RangeStart >= 1000 ? (RangeStart, low - RangeStart) : (high + 1, 65536 - (high + 1));
    }

    /// <summary>Local ports of every TCP socket on the machine, in any state (listening, connected, TIME_WAIT).</summary>
    private static HashSet<int> InUse()
    {
        var ports = new HashSet<int>();
        foreach (var table in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
        {
            if (!File.Exists(table))
            {
                continue;
            }

            foreach (var line in File.ReadLines(table).Skip(1))
            {
                // "  0: 0100007F:4E21 00000000:0000 0A ...": the local address's port after the colon, in hex.
                var local = line.TrimStart().Split(' ', 3, StringSplitOptions.RemoveEmptyEntries) is [_, var address, ..] ? address : "";
                var colon = local.LastIndexOf(':');
                if (colon >= 0 && int.TryParse(local.AsSpan(colon + 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var port))
                {
                    ports.Add(port);
                }
            }
        }

        return ports;
    }

    /// <summary>
    /// An exclusive lock on a per-port file, held until this process exits (the OS releases it even
    /// after a crash): another test process that picks the same number moves on.
    /// </summary>
    private static bool TryClaim(int port)
    {
        try
        {
            Directory.CreateDirectory(ClaimFolder);
            var claim = new FileStream(Path.Combine(ClaimFolder, port.ToString(CultureInfo.InvariantCulture)),
                FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            Claims.Add(claim);
            return true;
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static bool CanBind(int port)
    {
        try
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            socket.Bind(new IPEndPoint(IPAddress.Loopback, port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
