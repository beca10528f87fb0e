using System.Net;
using ClinicCluster.Api.Edge;

namespace ClinicCluster.Api.Tests;

/// <summary>The per-address connection cap: counted per address, released on close, trusted proxies exempt.</summary>
public sealed class ConnectionsPerAddressTests
{
    private static readonly IPAddress Client = IPAddress.Parse("203.0.113.7");

    [Fact]
    public void An_address_gets_the_cap_and_no_more_until_one_closes()
    {
        var cap = new ConnectionsPerAddress(3, []);
        Assert.True(cap.TryOpen(Client));
        Assert.True(cap.TryOpen(Client));
        Assert.True(cap.TryOpen(Client));
        Assert.False(cap.TryOpen(Client));

        // Another address is not affected.
        Assert.True(cap.TryOpen(IPAddress.Parse("203.0.113.8")));

        cap.Close(Client);
        Assert.True(cap.TryOpen(Client));
        Assert.False(cap.TryOpen(Client));
    }

    [Fact]
    public void An_ipv4_mapped_address_counts_as_its_ipv4_address()
    {
        var cap = new ConnectionsPerAddress(1, []);
        Assert.True(cap.TryOpen(Client));
        Assert.False(cap.TryOpen(Client.MapToIPv6()));
    }

    [Fact]
    public void Trusted_proxy_networks_are_not_capped()
    {
        var cap = new ConnectionsPerAddress(1, [IPNetwork.Parse("10.0.0.0/8")]);
        var proxy = IPAddress.Parse("10.1.2.3");
        for (var i = 0; i < 10; i++)
        {
            Assert.True(cap.TryOpen(proxy));
        }

        Assert.Equal(0, cap.Addresses);
    }

    [Fact]
    public void Closed_addresses_leave_no_entry_behind_even_under_concurrency()
    {
        var cap = new ConnectionsPerAddress(1000, []);
        var addresses = Enumerable.Range(1, 50).Select(i => IPAddress.Parse($"198.51.100.{i}")).ToArray();
        Parallel.For(0, 20_000, i =>
        {
            var address = addresses[i % addresses.Length];
            Assert.True(cap.TryOpen(address));
            cap.Close(address);
        });

        Assert.Equal(0, cap.Addresses);
    }
}
