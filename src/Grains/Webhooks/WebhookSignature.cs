using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ClinicCluster.Webhooks;

/// <summary>
/// The signature scheme (docs/api.md "Webhooks"): HMAC-SHA256, keyed with the secret's UTF-8
/// bytes, over "{timestamp}.{body}" where the timestamp is the Clinic-Webhook-Timestamp header
/// (Unix seconds); hex, lower case, as <c>openssl dgst -sha256 -hmac</c> prints it. One
/// "v1=..." per active secret, separated by spaces, so a rotation never breaks a receiver.
/// </summary>
public static class WebhookSignature
{
    public const string IdHeader = "Clinic-Webhook-Id";
    public const string TimestampHeader = "Clinic-Webhook-Timestamp";
    public const string SignatureHeader = "Clinic-Webhook-Signature";
    public const string SecretPrefix = "whsec_";

    /// <summary>A new secret: 32 random bytes, base64url, with a recognisable prefix.</summary>
    public static string NewSecret() =>
        SecretPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string Timestamp(DateTimeOffset at) => at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

    /// <summary>The header value for <paramref name="body"/> sent at <paramref name="timestamp"/>.</summary>
    public static string Header(IEnumerable<string> secrets, string timestamp, ReadOnlySpan<byte> body)
    {
        var parts = new List<string>();
        foreach (var secret in secrets)
        {
            parts.Add("v1=" + Compute(secret, timestamp, body));
        }

        return string.Join(' ', parts);
    }

    public static string Compute(string secret, string timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes(timestamp + ".");
        var signed = new byte[prefix.Length + body.Length];
        prefix.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(prefix.Length));
        return Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed));
    }

    /// <summary>What a receiver does: true if one "v1=" of <paramref name="header"/> matches (in constant time).</summary>
    public static bool Verify(string secret, string timestamp, ReadOnlySpan<byte> body, string header)
    {
        var expected = Encoding.ASCII.GetBytes(Compute(secret, timestamp, body));
        foreach (var part in header.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part.StartsWith("v1=", StringComparison.Ordinal)
                && CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(part[3..])))
            {
                return true;
            }
        }

        return false;
    }
}
