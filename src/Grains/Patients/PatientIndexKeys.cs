using ClinicCluster.Security;

namespace ClinicCluster.Patients;

/// <summary>
/// Where a clinic's patient index partitions live, and the blind indexes they are keyed by. Grain
/// keys are stored in plain text (grain_state, reminders, logs), so they derive from keyed hashes,
/// never from an MRN or a name. Each blind-index key is a generation of partitions: the original
/// key's partitions are "{clinic}/mrn/{n}" and "{clinic}/name/{hash}", a rotated-in key's carry
/// "@{keyId}", so both generations live side by side while <c>encryption reindex</c> moves entries.
/// </summary>
public sealed class PatientIndexKeys(IPhiProtector protector)
{
    /// <summary>MRN registry partitions per clinic; a power of two keeps each partition small at 100,000 patients.</summary>
    public const int MrnPartitions = 32;

    private const char GenerationMark = '@';

    /// <summary>The blind-index key new entries are written under.</summary>
    public string Active => protector.IndexKeys.ActiveId;

    /// <summary>Every generation still in the ring, the active one first.</summary>
    public IReadOnlyList<string> Generations => protector.IndexKeys.Ids;

    /// <summary>The generations other than the active one: entries there are moved on the next write or re-index.</summary>
    public IEnumerable<string> Retiring => Generations.Skip(1);

    /// <summary>The MRN's blind index: the registry's dictionary key. MRNs compare case-insensitively.</summary>
    public string MrnIndex(string clinicId, string mrn) => MrnIndex(Active, clinicId, mrn);

    public string MrnIndex(string generation, string clinicId, string mrn) =>
        protector.BlindIndex(generation, "mrn", clinicId, mrn.ToUpperInvariant());

    /// <summary>The registry partition holding the MRN, chosen by its blind index (uniform, stable across processes).</summary>
    public string Mrn(string clinicId, string mrn) => Mrn(Active, clinicId, mrn);

    public string Mrn(string generation, string clinicId, string mrn) =>
        $"{clinicId}/mrn/{MrnPartition(MrnIndex(generation, clinicId, mrn))}{Suffix(generation)}";

    /// <summary>The name index partition of a token: a keyed hash of its first character.</summary>
    public string Name(string clinicId, string token) => Name(Active, clinicId, token);

    public string Name(string generation, string clinicId, string token) =>
        $"{clinicId}/name/{protector.BlindIndex(generation, "name-partition", clinicId, NameTokens.Partition(token))[..16]}{Suffix(generation)}";

    /// <summary>
    /// The id an imported patient is registered under: a keyed hash of the MRN, so re-importing a line
    /// reaches the same patient (decision 0030). Its own purpose, so it cannot be matched to the
    /// registry's blind index; under the active key, so after a rotation a re-import meets the MRN
    /// as taken instead, which the import also counts as already registered.
    /// </summary>
    public string ImportedPatientId(string clinicId, string mrn) =>
        "pat-" + protector.BlindIndex(Active, "imported-patient-id", clinicId, mrn.ToUpperInvariant()).ToLowerInvariant();

    /// <summary>The generation (blind-index key id) of a registry or name index grain key.</summary>
    public static string GenerationOf(string grainKey) =>
        grainKey.IndexOf(GenerationMark, grainKey.LastIndexOf('/') + 1) is var at and >= 0 ? grainKey[(at + 1)..] : BlindIndexKeys.Original;

    public static int MrnPartition(string mrnIndex) => Convert.ToInt32(mrnIndex[..4], 16) % MrnPartitions;

    private static string Suffix(string generation) => generation == BlindIndexKeys.Original ? "" : GenerationMark + generation;
}
