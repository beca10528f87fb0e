namespace ClinicCluster.Clinics;

/// <summary>What the clinic knows about one of its providers.</summary>
[GenerateSerializer, Immutable, Alias("cc.ProviderProfile")]
public sealed record ProviderProfile(
    [property: Id(0)] string Name,
    [property: Id(1)] string Specialty,
    [property: Id(2)] IReadOnlyList<WorkingHours> WorkingHours,
    [property: Id(3)] IReadOnlyList<TimeOff> TimeOff);
