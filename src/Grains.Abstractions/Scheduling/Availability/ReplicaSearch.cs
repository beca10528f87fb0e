using ClinicCluster.Clinics;

namespace ClinicCluster.Scheduling;

/// <summary>One provider of a clinic-wide search and the context its slots are placed under.</summary>
[GenerateSerializer, Immutable, Alias("cc.ReplicaProvider")]
public sealed record ReplicaProvider(
    [property: Id(0)] string ProviderId,
    [property: Id(1)] SchedulingContext Context);

/// <summary>
/// A clinic-wide search as the replica of the calendars answers it: the providers (with the
/// contexts read from the clinic once), the local dates, the position after which the page starts
/// (the cursor's, or none) and the page size.
/// </summary>
[GenerateSerializer, Immutable, Alias("cc.ReplicaSearch")]
public sealed record ReplicaSearch(
    [property: Id(0)] IReadOnlyList<ReplicaProvider> Providers,
    [property: Id(1)] DateOnly From,
    [property: Id(2)] DateOnly To,
    [property: Id(3)] DateTimeOffset? AfterStart,
    [property: Id(4)] string? AfterProviderId,
    [property: Id(5)] int Limit);
