namespace ClinicCluster.Patients;

/// <summary>Where a clinic's patient index partitions live.</summary>
public static class PatientIndexKeys
{
    /// <summary>MRN registry partitions per clinic; a power of two keeps each partition small at 100,000 patients.</summary>
    public const int MrnPartitions = 32;

    public static string Mrn(string clinicId, string mrn)
    {
        // A stable hash (FNV-1a): string.GetHashCode differs between processes and would scatter the registry.
        var hash = 2166136261u;
        foreach (var c in mrn.ToUpperInvariant())
        {
            hash = unchecked((hash ^ c) * 16777619u);
        }

        return $"{clinicId}/mrn/{hash % MrnPartitions}";
    }

    public static string Name(string clinicId, string token) => $"{clinicId}/name/{NameTokens.Partition(token)}";
}
