using ClinicCluster.Security;

namespace ClinicCluster.Patients;

/// <summary>
/// Where a clinic's patient index partitions live, and the blind indexes they are keyed by. Grain
/// keys are stored in plain text (grain_state, reminders, logs), so they derive from keyed hashes,
/// never from an MRN or a name.
/// </summary>
public sealed class PatientIndexKeys(IPhiProtector protector)
{
    /// <summary>MRN registry partitions per clinic; a power of two keeps each partition small at 100,000 patients.</summary>
    public const int MrnPartitions = 32;

    /// <summary>The MRN's blind index: the registry's dictionary key. MRNs compare case-insensitively.</summary>
    public string MrnIndex(string clinicId, string mrn) => protector.BlindIndex("mrn", clinicId, mrn.ToUpperInvariant());

    /// <summary>The registry partition holding the MRN, chosen by its blind index (uniform, stable across processes).</summary>
    public string Mrn(string clinicId, string mrn) => $"{clinicId}/mrn/{MrnPartition(MrnIndex(clinicId, mrn))}";

    /// <summary>The name index partition of a token: a keyed hash of its first character.</summary>
    public string Name(string clinicId, string token) =>
        $"{clinicId}/name/{protector.BlindIndex("name-partition", clinicId, NameTokens.Partition(token))[..16]}";

    public static int MrnPartition(string mrnIndex) => Convert.ToInt32(mrnIndex[..4], 16) % MrnPartitions;
}
