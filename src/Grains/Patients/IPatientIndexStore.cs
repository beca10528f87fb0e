namespace ClinicCluster.Patients;

/// <summary>
/// Where the patient index partitions (MRN registry, name index) keep their entries: one row per
/// entry, so a registration writes a few rows of bounded size however many patients the clinic has
/// (decision 0030). A partition is its grain key, which holds no PHI; an entry's key is a patient id
/// or an MRN's blind index, and its value is ciphertext from <see cref="Security.IPhiProtector"/>.
/// </summary>
public interface IPatientIndexStore
{
    /// <summary>Every entry of a partition, read when the partition activates.</summary>
    Task<IReadOnlyList<PatientIndexEntry>> LoadAsync(string partition);

    /// <summary>
    /// Every entry's key, owner and <see cref="PatientIndexStamp.Of">stamp</see> without its value:
    /// what a name index partition checks its snapshot against (decision 0060).
    /// </summary>
    Task<IReadOnlyList<PatientIndexStamp>> LoadStampsAsync(string partition);

    /// <summary>The entries of a partition with these keys (those that exist).</summary>
    Task<IReadOnlyList<PatientIndexEntry>> LoadAsync(string partition, IReadOnlyCollection<string> keys);

    /// <summary>One entry, or null.</summary>
    Task<PatientIndexEntry?> GetAsync(string partition, string key);

    /// <summary>
    /// Stores the entry unless another owner holds its key, atomically (the store, not the grain, is
    /// what keeps an MRN unique, even if a partition were briefly active on two silos). Returns the
    /// owner holding the key afterwards.
    /// </summary>
    Task<string> PutAsync(string partition, PatientIndexEntry entry);

    /// <summary>
    /// Stores <paramref name="claim"/> as <see cref="PutAsync(string, PatientIndexEntry)"/> does and,
    /// only if its owner holds it afterwards, <paramref name="rest"/> (entries of the same owner in
    /// other partitions) with it: a registration's MRN claim and name entries, written as one
    /// transaction where the store has them (decision 0048). Returns the owner holding the claim's key.
    /// </summary>
    Task<string> PutAsync(string partition, PatientIndexEntry claim, IReadOnlyList<PartitionedIndexEntry> rest);

    /// <summary>Removes the entry if <paramref name="owner"/> holds it; true when a row went.</summary>
    Task<bool> RemoveAsync(string partition, string key, string owner);
}

/// <summary>One index entry: its key in the partition, the patient it belongs to, and its encrypted value.</summary>
[GenerateSerializer, Immutable, Alias("cc.PatientIndexEntry")]
public sealed record PatientIndexEntry([property: Id(0)] string Key, [property: Id(1)] string Owner, [property: Id(2)] string Value);

/// <summary>An index entry and the partition it belongs to.</summary>
[GenerateSerializer, Immutable, Alias("cc.PartitionedIndexEntry")]
public sealed record PartitionedIndexEntry([property: Id(0)] string Partition, [property: Id(1)] PatientIndexEntry Entry);

/// <summary>An entry without its value: its key, owner and the stamp of its stored value.</summary>
public sealed record PatientIndexStamp(string Key, string Owner, string Stamp)
{
    /// <summary>
    /// How many trailing characters of a stored value stamp it. A value ends with its AES-GCM tag
    /// (16 bytes, 22 characters of base64url), which differs for every encryption (random nonce
    /// and data key), so a rewritten row never keeps its stamp; the store can cut it out without
    /// shipping the value.
    /// </summary>
    public const int Length = 24;

    public static string Of(string storedValue) => storedValue[^Math.Min(Length, storedValue.Length)..];
}
