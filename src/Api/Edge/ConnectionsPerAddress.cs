using System.Collections.Concurrent;
using System.Net;

namespace ClinicCluster.Api.Edge;

/// <summary>
/// Counts open connections per client address and refuses one beyond the cap; addresses in the
/// exempt networks (trusted proxies, which carry many clients) are counted against nothing.
/// Thread-safe; every successful <see cref="TryOpen"/> is paired with one <see cref="Close"/>.
/// </summary>
public sealed class ConnectionsPerAddress(int maxPerAddress, IReadOnlyList<IPNetwork> exempt)
{
    private readonly ConcurrentDictionary<IPAddress, int> _open = new();

    /// <summary>The number of addresses with an open counted connection (for tests and diagnostics).</summary>
    public int Addresses => _open.Count;

    /// <summary>True when the connection may proceed; then <see cref="Close"/> must follow.</summary>
    public bool TryOpen(IPAddress address)
    {
        address = Normalize(address);
        if (IsExempt(address))
        {
            return true;
        }

        while (true)
        {
            var current = _open.GetOrAdd(address, 0);
            if (current >= maxPerAddress)
            {
                return false;
            }

            if (_open.TryUpdate(address, current + 1, current))
            {
                return true;
            }
        }
    }

    public void Close(IPAddress address)
    {
        address = Normalize(address);
        if (IsExempt(address))
        {
            return;
        }

        while (true)
        {
            var current = _open.GetOrAdd(address, 0);
            if (current <= 1)
            {
                // The last connection of the address: drop the entry, so the map holds open addresses only.
                if (_open.TryRemove(new KeyValuePair<IPAddress, int>(address, current)))
                {
                    return;
                }
            }
            else if (_open.TryUpdate(address, current - 1, current))
            {
                return;
            }
        }
    }

    private bool IsExempt(IPAddress address)
    {
        foreach (var network in exempt)
        {
            if (network.Contains(address))
            {
                return true;
            }
        }

        return false;
    }

    private static IPAddress Normalize(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}
