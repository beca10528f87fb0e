using System.Net;
using System.Net.Sockets;

namespace ClinicCluster.Webhooks;

/// <summary>
/// The SSRF guard's address rule: which addresses a webhook may never reach (the silo's own host,
/// the pod network, cloud metadata at 169.254.169.254). IPv4-mapped IPv6 is judged as the IPv4 it carries.
/// </summary>
public static class WebhookAddressRules
{
    /// <summary>Why <paramref name="address"/> is refused ("loopback", "private", ...), or null if it is public.</summary>
    public static string? Refusal(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        return address.AddressFamily == AddressFamily.InterNetwork ? V4(address.GetAddressBytes()) : V6(address);
    }

    private static string? V4(byte[] b) => b switch
    {
        [127, ..] => "loopback",
        [0, ..] => "unspecified",
        [169, 254, ..] => "link-local",
        [10, ..] => "private",
        [172, >= 16 and <= 31, ..] => "private",
        [192, 168, ..] => "private",
        [100, >= 64 and <= 127, ..] => "private (shared address space)",
        [192, 0, 0, _] => "private (protocol assignments)",
        [198, 18 or 19, ..] => "private (benchmarking)",
        [>= 224, ..] => "multicast or reserved",
        _ => null,
    };

    private static string? V6(IPAddress address)
    {
        var b = address.GetAddressBytes();
        if (IPAddress.IPv6Loopback.Equals(address))
        {
            return "loopback";
        }

        if (IPAddress.IPv6None.Equals(address))
        {
            return "unspecified";
        }

        return b[0] switch
        {
            0xfe when (b[1] & 0xc0) == 0x80 => "link-local",
            0xfe when (b[1] & 0xc0) == 0xc0 => "private",
            0xfc or 0xfd => "private",
            0xff => "multicast or reserved",
            // NAT64 (64:ff9b::/96) and 6to4 (2002::/16) carry an IPv4 address: judge that one.
            0x00 when b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b => V4(b[12..16]),
            0x20 when b[1] == 0x02 => V4(b[2..6]),
            _ => null,
        };
    }
}
