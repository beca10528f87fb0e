using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;

namespace ClinicCluster.Security;

/// <summary>
/// The text form of a protected value: <c>phi1:{kekId}:{wrapped data key}:{nonce|ciphertext|tag}</c>,
/// both binary parts base64url. Self-describing, so any reader with the key ring (the silo, the
/// rotation command) can decrypt it without knowing where it came from.
/// </summary>
public sealed record PhiCiphertext(string KeyId, string WrappedKey, byte[] Payload)
{
    public const string Prefix = "phi1:";

    /// <summary>The authenticated header: KEK id and wrapped key cannot be swapped without failing the tag.</summary>
    public string Header => $"{Prefix}{KeyId}:{WrappedKey}";

    public override string ToString() => $"{Header}:{Base64Url.EncodeToString(Payload)}";

    public static bool IsProtected(string? value) => value is not null && value.StartsWith(Prefix, StringComparison.Ordinal);

    public static bool TryParse(string value, [NotNullWhen(true)] out PhiCiphertext? ciphertext)
    {
        ciphertext = null;
        if (!IsProtected(value))
        {
            return false;
        }

        var parts = value[Prefix.Length..].Split(':');
        if (parts.Length != 3 || !KeyRing.IsValidKeyId(parts[0]) || parts[1].Length == 0 || !Base64Url.IsValid(parts[2]))
        {
            return false;
        }

        ciphertext = new PhiCiphertext(parts[0], parts[1], Base64Url.DecodeFromChars(parts[2]));
        return true;
    }
}
