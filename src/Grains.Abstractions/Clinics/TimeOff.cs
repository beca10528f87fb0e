namespace ClinicCluster.Clinics;

/// <summary>A period, as instants, when a provider takes no appointments.</summary>
[GenerateSerializer, Immutable, Alias("cc.TimeOff")]
public sealed record TimeOff(
    [property: Id(0)] DateTimeOffset Start,
    [property: Id(1)] DateTimeOffset End);
