namespace ClinicCluster.Scheduling;

/// <summary>
/// One page of a calendar's appointments, by start then id: those starting in [<see cref="From"/>,
/// <see cref="To"/>) (null: unbounded), at most <see cref="Limit"/>, after the position in
/// <see cref="Cursor"/>, the opaque token a previous page answered. A page costs its own rows, however
/// long the owner's history (issue 21: keyset, never an offset).
/// </summary>
[GenerateSerializer, Immutable, Alias("cc.AppointmentListQuery")]
public sealed record AppointmentListQuery(
    [property: Id(0)] DateTimeOffset? From = null,
    [property: Id(1)] DateTimeOffset? To = null,
    [property: Id(2)] int Limit = AppointmentListQuery.DefaultLimit,
    [property: Id(3)] string? Cursor = null)
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 500;
    public const int MaxCursorLength = 200;
}
