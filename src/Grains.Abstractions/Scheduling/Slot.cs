namespace ClinicCluster.Scheduling;

/// <summary>An open slot, shown with the clinic's UTC offset at its start.</summary>
[GenerateSerializer, Immutable, Alias("cc.Slot")]
public sealed record Slot(
    [property: Id(0)] DateTimeOffset Start,
    [property: Id(1)] DateTimeOffset End);
