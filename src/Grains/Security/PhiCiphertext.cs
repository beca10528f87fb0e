using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;

namespace ClinicCluster.Security;

/// <summary>
/// The text form of a protected value: <c>phi2:{kekId}:{wrapped data key}:{nonce|ciphertext|tag}</c>,
/// both binary parts base64url. Self-describing, so any reader with the key ring (the silo, the
/// rotation command) can decrypt it given the <see cref="PhiField"/> it was read from.
/// <c>phi2</c> values are bound to that field (associated data); <c>phi1</c> values, written before
/// the binding existed, are bound to their header only: they stay readable, and
/// <c>encryption rotate</c> rewrites them as <c>phi2</c>.
/// </summary>
public sealed record PhiCiphertext(int Version, string KeyId, string WrappedKey, byte[] Payload)
{
    public const string UnboundPrefix = "phi1:";
    public const string BoundPrefix = "phi2:";
    public const int CurrentVersion = 2;

    /// <summary>The authenticated header: KEK id and wrapped key cannot be swapped without failing the tag.</summary>
    public string Header => $"phi{Version}:{KeyId}:{WrappedKey}";

    public bool IsBound => Version >= 2;

    public override string ToString() => $"{Header}:{Base64Url.EncodeToString(Payload)}";

    /// <summary>Whether the value is a ciphertext of any version (else it is plaintext, or garbage).</summary>
    public static bool IsProtected([NotNullWhen(true)] string? value) =>
        value is not null && (value.StartsWith(BoundPrefix, StringComparison.Ordinal) || value.StartsWith(UnboundPrefix, StringComparison.Ordinal));

    public static bool TryParse(string value, [NotNullWhen(true)] out PhiCiphertext? ciphertext)
    {
        ciphertext = null;
        if (!IsProtected(value))
        {
            return false;
        }

        var version = value[3] - '0';
        var parts = value[UnboundPrefix.Length..].Split(':');
        if (parts.Length != 3 || !KeyRing.IsValidKeyId(parts[0]) || parts[1].Length == 0 || !Base64Url.IsValid(parts[2]))
        {
            return false;
        }

        ciphertext = new PhiCiphertext(version, parts[0], parts[1], Base64Url.DecodeFromChars(parts[2]));
        return true;
    }
}
