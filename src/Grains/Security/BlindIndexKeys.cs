namespace ClinicCluster.Security;

/// <summary>
/// The blind-index (keyed hash) keys by id, one active. The key a ring gives as <c>indexKey</c> is
/// the <see cref="Original"/> one; rotated-in keys come from <c>indexKeys</c> with
/// <c>activeIndexKeyId</c>. While more than one is present, lookups ask every generation (active
/// first) and writes go to the active one; <c>encryption reindex</c> moves the existing entries,
/// after which the other keys can be removed from the ring.
/// </summary>
public sealed class BlindIndexKeys
{
    /// <summary>The id of the ring's <c>indexKey</c>: the key every index used before rotation existed.</summary>
    public const string Original = "original";

    public BlindIndexKeys(string activeId, IReadOnlyDictionary<string, byte[]> keys)
    {
        if (!keys.ContainsKey(activeId) || keys.Values.Any(k => k.Length != KeyRing.KeyBytes))
        {
            throw new ArgumentException("Blind-index keys are 32 bytes, and the active one must be among them.", nameof(keys));
        }

        ActiveId = activeId;
        Keys = keys;
        Ids = [activeId, .. keys.Keys.Where(id => id != activeId).Order(StringComparer.Ordinal)];
    }

    public string ActiveId { get; }

    public IReadOnlyDictionary<string, byte[]> Keys { get; }

    /// <summary>Every key id, the active one first: the order lookups ask the generations in.</summary>
    public IReadOnlyList<string> Ids { get; }

    public static BlindIndexKeys Single(byte[] key) => new(Original, new Dictionary<string, byte[]> { [Original] = key });
}
