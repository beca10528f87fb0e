namespace ClinicCluster.Patients;

/// <summary>
/// A name index partition as it was stored before decision 0030 (each patient's encrypted search hit
/// by patient id, written whole on every upsert). Still read, once, so a partition stored that way
/// moves its entries into <see cref="IPatientIndexStore"/> on activation; never written again.
/// </summary>
[GenerateSerializer, Alias("cc.NameIndexState")]
public sealed class NameIndexState
{
    [Id(0)]
    public Dictionary<string, string> Patients { get; set; } = new(StringComparer.Ordinal);
}
