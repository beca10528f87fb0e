namespace ClinicCluster.Patients;

/// <summary>
/// An MRN registry partition as it was stored before decision 0030 (keyed by the MRN's blind index,
/// written whole on every claim). Still read, once, so a partition stored that way moves its entries
/// into <see cref="IPatientIndexStore"/> on activation; never written again.
/// </summary>
[GenerateSerializer, Alias("cc.MrnRegistryState")]
public sealed class MrnRegistryState
{
    [Id(0)]
    public Dictionary<string, MrnRegistration> Patients { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>Who holds an MRN: the patient id, and the search hit encrypted (<see cref="Security.IPhiProtector"/>).</summary>
[GenerateSerializer, Immutable, Alias("cc.MrnRegistration")]
public sealed record MrnRegistration([property: Id(0)] string PatientId, [property: Id(1)] string Summary);
