using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace ClinicCluster.Security;

/// <summary>
/// A set of 256-bit secret keys, one of them active, as mounted from a Secret. Used for the PHI
/// key-encryption keys (<c>Encryption:KeyRingFile</c>, which also holds the blind-index key) and for
/// the audit chain keys (<c>Audit:ChainKeyFile</c>). Older keys stay in the file, readable, until an
/// operator retires them by deleting them from it.
/// </summary>
public sealed partial class KeyRing
{
    public const int KeyBytes = 32;

    private KeyRing(string activeKeyId, IReadOnlyDictionary<string, byte[]> keys, BlindIndexKeys? indexKeys)
    {
        ActiveKeyId = activeKeyId;
        Keys = keys;
        IndexKeys = indexKeys;
    }

    /// <summary>The key new writes use.</summary>
    public string ActiveKeyId { get; }

    public IReadOnlyDictionary<string, byte[]> Keys { get; }

    /// <summary>Every blind-index key: <c>indexKey</c> (id <see cref="BlindIndexKeys.Original"/>) and <c>indexKeys</c>.</summary>
    public BlindIndexKeys? IndexKeys { get; }

    public byte[] ActiveKey => Keys[ActiveKeyId];

    /// <summary>A key id: letters, digits, '.', '_' and '-', as it is written into every ciphertext and audit row.</summary>
    public static bool IsValidKeyId(string id) => KeyIdPattern().IsMatch(id);

    /// <summary>Reads and checks a key ring file; the exception names the setting, never a key.</summary>
    public static KeyRing Load(string path, string setting, bool requireIndexKey)
    {
        KeyRingFile? file;
        try
        {
            file = JsonSerializer.Deserialize<KeyRingFile>(File.ReadAllText(path));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            throw new InvalidDataException($"{setting}: cannot read the key ring ({e.GetType().Name}).");
        }

        return FromFile(file, setting, requireIndexKey);
    }

    /// <summary>A fresh random ring: for the in-memory development mode only, whose data dies with the process.</summary>
    public static KeyRing Ephemeral(string activeKeyId = "ephemeral") =>
        new(activeKeyId, new Dictionary<string, byte[]> { [activeKeyId] = RandomKey() }, BlindIndexKeys.Single(RandomKey()));

    /// <summary>A new random key, base64 as written to a key ring file.</summary>
    public static string NewKeyBase64() => Convert.ToBase64String(RandomKey());

    private static byte[] RandomKey() => System.Security.Cryptography.RandomNumberGenerator.GetBytes(KeyBytes);

    private static KeyRing FromFile(KeyRingFile? file, string setting, bool requireIndexKey)
    {
        if (file?.Keys is not { Count: > 0 } entries || string.IsNullOrEmpty(file.ActiveKeyId))
        {
            throw new InvalidDataException($"{setting}: the key ring needs \"activeKeyId\" and at least one entry in \"keys\".");
        }

        var keys = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var (id, value) in entries)
        {
            if (!IsValidKeyId(id))
            {
                throw new InvalidDataException($"{setting}: key ids use letters, digits, '.', '_' and '-' (1-64 characters).");
            }

            keys[id] = Decode(value, setting, $"key '{id}'");
        }

        if (!keys.ContainsKey(file.ActiveKeyId))
        {
            throw new InvalidDataException($"{setting}: the active key '{file.ActiveKeyId}' is not in \"keys\".");
        }

        var indexKeys = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        if (file.IndexKey is { } index)
        {
            indexKeys[BlindIndexKeys.Original] = Decode(index, setting, "indexKey");
        }

        foreach (var (id, value) in file.IndexKeys ?? [])
        {
            if (!IsValidKeyId(id) || id == BlindIndexKeys.Original)
            {
                throw new InvalidDataException(
                    $"{setting}: index key ids use letters, digits, '.', '_' and '-' (1-64 characters), and '{BlindIndexKeys.Original}' names \"indexKey\".");
            }

            indexKeys[id] = Decode(value, setting, $"index key '{id}'");
        }

        if (indexKeys.Count == 0)
        {
            return requireIndexKey
                ? throw new InvalidDataException($"{setting}: the key ring needs an \"indexKey\" (the blind-index key).")
                : new KeyRing(file.ActiveKeyId, keys, null);
        }

        var activeIndex = file.ActiveIndexKeyId ?? BlindIndexKeys.Original;
        if (!indexKeys.ContainsKey(activeIndex))
        {
            throw new InvalidDataException($"{setting}: the active index key '{activeIndex}' is not in \"indexKey\" or \"indexKeys\".");
        }

        return new KeyRing(file.ActiveKeyId, keys, new BlindIndexKeys(activeIndex, indexKeys));
    }

    private static byte[] Decode(string value, string setting, string what)
    {
        try
        {
            var bytes = Convert.FromBase64String(value);
            return bytes.Length == KeyBytes ? bytes : throw new FormatException();
        }
        catch (FormatException)
        {
            throw new InvalidDataException($"{setting}: {what} must be {KeyBytes} random bytes in base64.");
        }
    }

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex KeyIdPattern();

    /// <summary>
    /// The file's JSON shape: <c>{"activeKeyId": "k2", "keys": {"k1": "base64", "k2": "base64"}, "indexKey": "base64"}</c>,
    /// and while a blind-index key rotates, <c>"indexKeys": {"ix2": "base64"}, "activeIndexKeyId": "ix2"</c>.
    /// </summary>
    private sealed class KeyRingFile
    {
        [JsonPropertyName("activeKeyId")]
        public string? ActiveKeyId { get; set; }

        [JsonPropertyName("keys")]
        public Dictionary<string, string>? Keys { get; set; }

        [JsonPropertyName("indexKey")]
        public string? IndexKey { get; set; }

        [JsonPropertyName("indexKeys")]
        public Dictionary<string, string>? IndexKeys { get; set; }

        [JsonPropertyName("activeIndexKeyId")]
        public string? ActiveIndexKeyId { get; set; }
    }
}
