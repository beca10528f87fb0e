using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using ClinicCluster.Security;

namespace ClinicCluster.Testing;

/// <summary>
/// Writes a value the way the protector did before ciphertexts were bound to their field
/// (<c>phi1</c>: the tag covers the header alone), to prove such values still read.
/// </summary>
public static class LegacyCiphertext
{
    public static async Task<string> WriteAsync(IKeyEncryptionKeyProvider keys, string kekId, string plaintext)
    {
        var dataKey = RandomNumberGenerator.GetBytes(KeyRing.KeyBytes);
        var wrapped = Base64Url.EncodeToString(await keys.WrapAsync(kekId, dataKey));
        var header = $"phi1:{kekId}:{wrapped}";
        var clear = Encoding.UTF8.GetBytes(plaintext);
        var payload = new byte[12 + clear.Length + 16];
        RandomNumberGenerator.Fill(payload.AsSpan(0, 12));
        using var aes = new AesGcm(dataKey, 16);
        aes.Encrypt(payload.AsSpan(0, 12), clear, payload.AsSpan(12, clear.Length), payload.AsSpan(12 + clear.Length), Encoding.ASCII.GetBytes(header));
        return $"{header}:{Base64Url.EncodeToString(payload)}";
    }
}
