namespace ClinicCluster.Security;

/// <summary>
/// Field-level envelope encryption of protected health information, and keyed hashes (blind
/// indexes) for looking PHI up without storing it. Everything a grain persists that is PHI goes
/// through <see cref="ProtectAsync"/>; every lookup key derived from PHI through <see cref="BlindIndex"/>.
/// </summary>
public interface IPhiProtector
{
    /// <summary>
    /// AES-256-GCM under a data key wrapped by the active key-encryption key; the result names that
    /// KEK and is bound to <paramref name="field"/> (associated data).
    /// </summary>
    ValueTask<string> ProtectAsync(string plaintext, PhiField field, CancellationToken cancellationToken = default);

    /// <summary>
    /// Decrypts a value from <see cref="ProtectAsync"/>, under any KEK still in the key ring. Throws
    /// <see cref="PhiIntegrityException"/> when the value was not written for <paramref name="field"/>.
    /// </summary>
    ValueTask<string> UnprotectAsync(string ciphertext, PhiField field, CancellationToken cancellationToken = default);

    /// <summary>
    /// True when the value was written under a KEK other than the active one, or before ciphertexts
    /// were bound to their field (the rotation command re-encrypts it).
    /// </summary>
    bool NeedsRotation(string ciphertext);

    /// <summary>
    /// HMAC-SHA-256 of the value under the blind-index key, scoped to a purpose and a clinic, as 32
    /// hex characters: equal inputs give equal outputs, and nobody without the key can test a guess.
    /// </summary>
    string BlindIndex(string purpose, string clinicId, string value);

    /// <summary>The same under a named blind-index key (active or not, as long as the ring holds it).</summary>
    string BlindIndex(string indexKeyId, string purpose, string clinicId, string value);

    /// <summary>The blind-index keys of the ring: which is active, which are still being moved off.</summary>
    BlindIndexKeys IndexKeys { get; }
}
