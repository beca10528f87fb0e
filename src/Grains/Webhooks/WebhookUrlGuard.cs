using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace ClinicCluster.Webhooks;

/// <summary>
/// The SSRF guard (decision 0046): a subscriber URL must be an absolute https URL (http only if
/// Webhooks:AllowHttp) without credentials, whose host resolves only to public addresses (unless
/// Webhooks:AllowPrivateAddresses). Checked when a subscription is registered and again at every
/// connection (<see cref="WebhookSender"/>), so a name that later resolves inward (DNS rebinding)
/// is refused then.
/// </summary>
public sealed class WebhookUrlGuard(IOptions<WebhookOptions> options)
{
    public const int MaxUrlLength = 2048;

    private static readonly TimeSpan ResolveTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Why <paramref name="url"/> cannot be a subscriber, or null if it can.</summary>
    public async Task<string?> RefusalAsync(string? url)
    {
        // On Unix "/path" parses as an absolute file URI: only a URL that names its scheme counts.
        if (string.IsNullOrEmpty(url) || url.Length > MaxUrlLength || !Uri.TryCreate(url, UriKind.Absolute, out var uri)
            || !url.StartsWith(uri.Scheme + ":", StringComparison.OrdinalIgnoreCase))
        {
            return $"Must be an absolute URL of at most {MaxUrlLength} characters.";
        }

        if (uri.Scheme != Uri.UriSchemeHttps && !(uri.Scheme == Uri.UriSchemeHttp && options.Value.AllowHttp))
        {
            return options.Value.AllowHttp ? "Must use https or http." : "Must use https.";
        }

        if (uri.UserInfo.Length > 0 || uri.Fragment.Length > 0 || uri.HostNameType is UriHostNameType.Unknown or UriHostNameType.Basic)
        {
            return "Must not carry credentials or a fragment, and must name a host.";
        }

        IPAddress[] addresses;
        try
        {
            addresses = await ResolveAsync(HostOf(uri));
        }
        catch (Exception exception) when (exception is SocketException or OperationCanceledException or ArgumentException)
        {
            return "The host does not resolve.";
        }

        return AddressRefusal(addresses) is { } refusal ? $"The host resolves to a {refusal} address." : null;
    }

    /// <summary>The name to resolve: the IDN (punycode) host, or an IPv6 literal without its brackets.</summary>
    public static string HostOf(Uri uri) => uri.HostNameType == UriHostNameType.IPv6 ? uri.Host.Trim('[', ']') : uri.IdnHost;

    /// <summary>Resolves <paramref name="host"/> (an address literal resolves to itself).</summary>
    public static async Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken = default)
    {
        if (IPAddress.TryParse(host, out var literal))
        {
            return [literal];
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ResolveTimeout);
        var addresses = await Dns.GetHostAddressesAsync(host, timeout.Token);
        return addresses.Length > 0 ? addresses : throw new SocketException((int)SocketError.HostNotFound);
    }

    /// <summary>The first refused address's reason, or null when every one may be reached (or the guard is off).</summary>
    public string? AddressRefusal(IEnumerable<IPAddress> addresses) =>
        options.Value.AllowPrivateAddresses ? null : addresses.Select(WebhookAddressRules.Refusal).FirstOrDefault(r => r is not null);
}
