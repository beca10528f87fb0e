namespace ClinicCluster.Scheduling;

/// <summary>An open slot of one provider in a clinic-wide search, shown with the clinic's UTC offset at its start.</summary>
[GenerateSerializer, Immutable, Alias("cc.ClinicSlot")]
public sealed record ClinicSlot(
    [property: Id(0)] string ProviderId,
    [property: Id(1)] DateTimeOffset Start,
    [property: Id(2)] DateTimeOffset End);
