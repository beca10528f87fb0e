namespace ClinicCluster.Patients;

/// <summary>The persisted state of one MRN registry partition, keyed by upper-case MRN.</summary>
[GenerateSerializer, Alias("cc.MrnRegistryState")]
public sealed class MrnRegistryState
{
    [Id(0)]
    public Dictionary<string, PatientSummary> Patients { get; set; } = new(StringComparer.Ordinal);
}
