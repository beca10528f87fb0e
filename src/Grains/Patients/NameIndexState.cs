namespace ClinicCluster.Patients;

/// <summary>The persisted state of one name index partition, keyed by patient id.</summary>
[GenerateSerializer, Alias("cc.NameIndexState")]
public sealed class NameIndexState
{
    [Id(0)]
    public Dictionary<string, PatientSummary> Patients { get; set; } = new(StringComparer.Ordinal);
}
