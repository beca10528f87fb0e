using System.Security.Cryptography;
using System.Text;

namespace ClinicCluster.Security;

/// <summary>
/// Key-encryption keys from the local key ring file (<c>Encryption:KeyRingFile</c>). A data key is
/// wrapped with AES-256-GCM under the KEK: nonce (12) | wrapped key (32) | tag (16), bound to the KEK id.
/// </summary>
public sealed class LocalKeyRingProvider(KeyRing ring) : IKeyEncryptionKeyProvider
{
    private const int NonceBytes = 12;
    private const int TagBytes = 16;

    public string ActiveKeyId => ring.ActiveKeyId;

    public bool IsAvailable(string keyId) => ring.Keys.ContainsKey(keyId);

    public ValueTask<byte[]> WrapAsync(string keyId, byte[] dataKey, CancellationToken cancellationToken = default)
    {
        var wrapped = new byte[NonceBytes + dataKey.Length + TagBytes];
        var nonce = wrapped.AsSpan(0, NonceBytes);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(Kek(keyId), TagBytes);
        aes.Encrypt(nonce, dataKey, wrapped.AsSpan(NonceBytes, dataKey.Length), wrapped.AsSpan(NonceBytes + dataKey.Length), Context(keyId));
        return ValueTask.FromResult(wrapped);
    }

    public ValueTask<byte[]> UnwrapAsync(string keyId, byte[] wrappedKey, CancellationToken cancellationToken = default)
    {
        if (wrappedKey.Length <= NonceBytes + TagBytes)
        {
            throw new CryptographicException("The wrapped data key is malformed.");
        }

        var length = wrappedKey.Length - NonceBytes - TagBytes;
        var dataKey = new byte[length];
        using var aes = new AesGcm(Kek(keyId), TagBytes);
        aes.Decrypt(wrappedKey.AsSpan(0, NonceBytes), wrappedKey.AsSpan(NonceBytes, length), wrappedKey.AsSpan(NonceBytes + length), dataKey, Context(keyId));
        return ValueTask.FromResult(dataKey);
    }

    private byte[] Kek(string keyId) => ring.Keys.TryGetValue(keyId, out var key)
        ? key
        : throw new CryptographicException($"Key-encryption key '{keyId}' is not in the key ring (retired?).");

    private static byte[] Context(string keyId) => Encoding.UTF8.GetBytes("clinic-cluster/dek/" + keyId);
}
