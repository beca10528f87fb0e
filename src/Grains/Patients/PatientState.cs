namespace ClinicCluster.Patients;

/// <summary>The persisted state of a patient grain.</summary>
[GenerateSerializer, Alias("cc.PatientState")]
public sealed class PatientState
{
    [Id(0)]
    public Patient? Patient { get; set; }
}
