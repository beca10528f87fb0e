namespace ClinicCluster.Security;

/// <summary>
/// Wraps and unwraps data keys with a key-encryption key (KEK) that never leaves the provider. The
/// local implementation reads the KEKs from a mounted key ring file; a KMS (AWS KMS Encrypt/Decrypt,
/// Azure Key Vault wrapKey/unwrapKey) or Vault transit key fits behind the same two calls, because
/// the protector unwraps a data key once and caches it.
/// </summary>
public interface IKeyEncryptionKeyProvider
{
    /// <summary>The KEK new data keys are wrapped with.</summary>
    string ActiveKeyId { get; }

    /// <summary>Whether the KEK is still available (not retired).</summary>
    bool IsAvailable(string keyId);

    ValueTask<byte[]> WrapAsync(string keyId, byte[] dataKey, CancellationToken cancellationToken = default);

    /// <summary>Throws <see cref="System.Security.Cryptography.CryptographicException"/> when the KEK is retired or the wrapped key was altered.</summary>
    ValueTask<byte[]> UnwrapAsync(string keyId, byte[] wrappedKey, CancellationToken cancellationToken = default);
}
