namespace ClinicCluster.Clinics;

/// <summary>The persisted state of a clinic grain.</summary>
[GenerateSerializer, Alias("cc.ClinicState")]
public sealed class ClinicState
{
    [Id(0)]
    public Clinic? Clinic { get; set; }
}
