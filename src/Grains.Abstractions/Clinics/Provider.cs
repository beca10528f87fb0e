namespace ClinicCluster.Clinics;

/// <summary>A provider of a clinic with its identifier.</summary>
[GenerateSerializer, Immutable, Alias("cc.Provider")]
public sealed record Provider(
    [property: Id(0)] string Id,
    [property: Id(1)] ProviderProfile Profile);
