namespace ClinicCluster.Scheduling;

/// <summary>
/// One page of a clinic-wide search: slots by start, then provider id. <see cref="NextCursor"/> is
/// set when the page is full (the next page may still be empty).
/// </summary>
[GenerateSerializer, Immutable, Alias("cc.ClinicAvailabilityPage")]
public sealed record ClinicAvailabilityPage(
    [property: Id(0)] IReadOnlyList<ClinicSlot> Items,
    [property: Id(1)] string? NextCursor);
