using System.Security.Cryptography;
using System.Text;

namespace ClinicCluster.Silo.Dashboard;

/// <summary>The operator accounts of the dashboard: names and SHA-256 hashes of their passwords.</summary>
internal sealed class OperatorCredentials
{
    private readonly Dictionary<string, byte[]> _accounts;

    private OperatorCredentials(Dictionary<string, byte[]> accounts) => _accounts = accounts;

    /// <summary>The accounts in the file's lines, or null when there is none or a line is malformed.</summary>
    public static OperatorCredentials? Parse(IEnumerable<string> lines)
    {
        var accounts = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var raw in lines)
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || colon == line.Length - 1)
            {
                return null;
            }

            accounts[line[..colon]] = Hash(line[(colon + 1)..]);
        }

        return accounts.Count == 0 ? null : new OperatorCredentials(accounts);
    }

    /// <summary>Whether a basic-auth header value names an operator with the right password.</summary>
    public bool Accepts(string? authorization)
    {
        const string scheme = "Basic ";
        if (authorization is null || !authorization.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(authorization[scheme.Length..].Trim()));
        }
        catch (FormatException)
        {
            return false;
        }

        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            return false;
        }

        // An unknown name is compared against a dummy hash, so timing does not tell names apart.
        var expected = _accounts.GetValueOrDefault(decoded[..colon]);
        var matches = CryptographicOperations.FixedTimeEquals(Hash(decoded[(colon + 1)..]), expected ?? new byte[32]);
        return matches && expected is not null;
    }

    private static byte[] Hash(string password) => SHA256.HashData(Encoding.UTF8.GetBytes(password));
}
