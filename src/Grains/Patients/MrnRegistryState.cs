namespace ClinicCluster.Patients;

/// <summary>The persisted state of one MRN registry partition, keyed by the MRN's blind index.</summary>
[GenerateSerializer, Alias("cc.MrnRegistryState")]
public sealed class MrnRegistryState
{
    [Id(0)]
    public Dictionary<string, MrnRegistration> Patients { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>Who holds an MRN: the patient id, and the search hit encrypted (<see cref="Security.IPhiProtector"/>).</summary>
[GenerateSerializer, Immutable, Alias("cc.MrnRegistration")]
public sealed record MrnRegistration([property: Id(0)] string PatientId, [property: Id(1)] string Summary);
