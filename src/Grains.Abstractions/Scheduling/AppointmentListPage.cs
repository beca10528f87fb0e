namespace ClinicCluster.Scheduling;

/// <summary>
/// One page of a calendar's appointments, by start then id. <see cref="NextCursor"/> is set only
/// when more follow: the last page has none.
/// </summary>
[GenerateSerializer, Immutable, Alias("cc.AppointmentListPage")]
public sealed record AppointmentListPage(
    [property: Id(0)] IReadOnlyList<AppointmentSummary> Items,
    [property: Id(1)] string? NextCursor);
