namespace ClinicCluster.Clinics;

/// <summary>A clinic as stored: its settings and its providers.</summary>
[GenerateSerializer, Immutable, Alias("cc.Clinic")]
public sealed record Clinic(
    [property: Id(0)] string Id,
    [property: Id(1)] ClinicSettings Settings,
    [property: Id(2)] IReadOnlyList<Provider> Providers);
