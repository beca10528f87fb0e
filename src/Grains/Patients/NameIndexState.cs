namespace ClinicCluster.Patients;

/// <summary>
/// The persisted state of one name index partition: each patient's search hit, encrypted, by patient
/// id. The sorted tokens exist only in the silo's memory, rebuilt on activation.
/// </summary>
[GenerateSerializer, Alias("cc.NameIndexState")]
public sealed class NameIndexState
{
    [Id(0)]
    public Dictionary<string, string> Patients { get; set; } = new(StringComparer.Ordinal);
}
