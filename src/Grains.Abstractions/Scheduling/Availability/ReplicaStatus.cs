namespace ClinicCluster.Scheduling;

/// <summary>
/// What a clinic's replica of the calendars holds: the version it has of each provider's busy time
/// (a provider missing has no current data and is asked directly), and how many providers it has
/// asked directly since its activation. For operators and tests; no PHI.
/// </summary>
[GenerateSerializer, Immutable, Alias("cc.ReplicaStatus")]
public sealed record ReplicaStatus(
    [property: Id(0)] IReadOnlyDictionary<string, long> Versions,
    [property: Id(1)] long DirectAsks);
