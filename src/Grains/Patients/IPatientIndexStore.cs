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
