using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace ClinicCluster.Security;

/// <summary>
/// Envelope encryption: each process draws a random 256-bit data key, has the KEK provider wrap it
/// once, and encrypts fields with it (AES-256-GCM, random 96-bit nonce). The wrapped key travels in
/// every ciphertext, so decrypting needs one unwrap per data key, cached. A data key is replaced
/// after <see cref="MaxUsesPerDataKey"/> encryptions (far below GCM's random-nonce bound) and
/// whenever the active KEK changes.
/// </summary>
public sealed class PhiProtector(IKeyEncryptionKeyProvider keys, BlindIndexKeys indexKeys) : IPhiProtector
{
    public const int MaxUsesPerDataKey = 1 << 24;
    private const int NonceBytes = 12;
    private const int TagBytes = 16;
    private const int MaxCachedDataKeys = 1024;

    public BlindIndexKeys IndexKeys => indexKeys;

    private readonly ConcurrentDictionary<string, byte[]> _unwrapped = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _newDataKey = new(1, 1);
    private DataKey? _current;

    public async ValueTask<string> ProtectAsync(string plaintext, PhiField field, CancellationToken cancellationToken = default)
    {
        var dataKey = await CurrentDataKeyAsync(cancellationToken);
        var clear = Encoding.UTF8.GetBytes(plaintext);
        var payload = new byte[NonceBytes + clear.Length + TagBytes];
        var nonce = payload.AsSpan(0, NonceBytes);
        RandomNumberGenerator.Fill(nonce);
        var header = new PhiCiphertext(PhiCiphertext.CurrentVersion, dataKey.KekId, dataKey.Wrapped, []).Header;
        using (var aes = new AesGcm(dataKey.Key, TagBytes))
        {
            aes.Encrypt(nonce, clear, payload.AsSpan(NonceBytes, clear.Length), payload.AsSpan(NonceBytes + clear.Length), field.AssociatedData(header));
        }

        return new PhiCiphertext(PhiCiphertext.CurrentVersion, dataKey.KekId, dataKey.Wrapped, payload).ToString();
    }

    public async ValueTask<string> UnprotectAsync(string ciphertext, PhiField field, CancellationToken cancellationToken = default)
    {
        if (!PhiCiphertext.TryParse(ciphertext, out var parsed) || parsed.Payload.Length < NonceBytes + TagBytes)
        {
            throw new CryptographicException("The value is not a protected PHI field.");
        }

        var key = await DataKeyAsync(parsed, cancellationToken);
        var length = parsed.Payload.Length - NonceBytes - TagBytes;
        var clear = new byte[length];
        // phi1 values predate the binding: their tag covers the header alone.
        var associatedData = parsed.IsBound ? field.AssociatedData(parsed.Header) : Encoding.ASCII.GetBytes(parsed.Header);
        try
        {
            using var aes = new AesGcm(key, TagBytes);
            aes.Decrypt(parsed.Payload.AsSpan(0, NonceBytes), parsed.Payload.AsSpan(NonceBytes, length),
                parsed.Payload.AsSpan(NonceBytes + length), clear, associatedData);
        }
        catch (AuthenticationTagMismatchException exception)
        {
            throw PhiIntegrityException.For(field.Record, field.RecordId, field.Field, parsed.KeyId, exception);
        }

        return Encoding.UTF8.GetString(clear);
    }

    public bool NeedsRotation(string ciphertext) =>
        PhiCiphertext.TryParse(ciphertext, out var parsed) && (parsed.KeyId != keys.ActiveKeyId || !parsed.IsBound);

    public string BlindIndex(string purpose, string clinicId, string value) => BlindIndex(indexKeys.ActiveId, purpose, clinicId, value);

    public string BlindIndex(string indexKeyId, string purpose, string clinicId, string value)
    {
        if (!indexKeys.Keys.TryGetValue(indexKeyId, out var key))
        {
            throw new CryptographicException($"Blind-index key '{indexKeyId}' is retired or unknown.");
        }

        // Length-prefixed parts: ("a", "bc") and ("ab", "c") must not collide.
        var input = Encoding.UTF8.GetBytes($"{purpose.Length}:{purpose}|{clinicId.Length}:{clinicId}|{value}");
        return Convert.ToHexStringLower(HMACSHA256.HashData(key, input))[..32];
    }

    private async ValueTask<byte[]> DataKeyAsync(PhiCiphertext parsed, CancellationToken cancellationToken)
    {
        var cacheKey = DataKeyCacheKey(parsed.KeyId, parsed.WrappedKey);
        if (_unwrapped.TryGetValue(cacheKey, out var cached))
        {
            return cached;
        }

        if (!keys.IsAvailable(parsed.KeyId))
        {
            throw new CryptographicException($"Key-encryption key '{parsed.KeyId}' is retired or unknown.");
        }

        var key = await keys.UnwrapAsync(parsed.KeyId, Base64Url.DecodeFromChars(parsed.WrappedKey), cancellationToken);
        if (_unwrapped.Count >= MaxCachedDataKeys)
        {
            _unwrapped.Clear();
        }

        _unwrapped[cacheKey] = key;
        return key;
    }

    private async ValueTask<DataKey> CurrentDataKeyAsync(CancellationToken cancellationToken)
    {
        var current = _current;
        if (current is not null && current.KekId == keys.ActiveKeyId && current.TryUse())
        {
            return current;
        }

        await _newDataKey.WaitAsync(cancellationToken);
        try
        {
            current = _current;
            if (current is not null && current.KekId == keys.ActiveKeyId && current.TryUse())
            {
                return current;
            }

            var kekId = keys.ActiveKeyId;
            var key = RandomNumberGenerator.GetBytes(KeyRing.KeyBytes);
            var wrapped = Base64Url.EncodeToString(await keys.WrapAsync(kekId, key, cancellationToken));
            var fresh = new DataKey(kekId, key, wrapped);
            fresh.TryUse();
            _unwrapped[DataKeyCacheKey(kekId, wrapped)] = key;
            _current = fresh;
            return fresh;
        }
        finally
        {
            _newDataKey.Release();
        }
    }

    private static string DataKeyCacheKey(string kekId, string wrapped) => $"{kekId}:{wrapped}";

    private sealed class DataKey(string kekId, byte[] key, string wrapped)
    {
        private long _uses;

        public string KekId { get; } = kekId;

        public byte[] Key { get; } = key;

        public string Wrapped { get; } = wrapped;

        public bool TryUse() => Interlocked.Increment(ref _uses) <= MaxUsesPerDataKey;
    }
}
