namespace ClinicCluster.Scheduling;

/// <summary>A booked series: the request as given and each occurrence's outcome.</summary>
[GenerateSerializer, Immutable, Alias("cc.AppointmentSeries")]
public sealed record AppointmentSeries(
    [property: Id(0)] string Id,
    [property: Id(1)] string ClinicId,
    [property: Id(2)] string PatientId,
    [property: Id(3)] string ProviderId,
    [property: Id(4)] string AppointmentType,
    [property: Id(5)] string Rule,
    [property: Id(6)] SeriesMode Mode,
    [property: Id(7)] IReadOnlyList<SeriesOccurrence> Occurrences,
    [property: Id(8)] DateTimeOffset CreatedAt);

/// <summary>
/// The outcome of a series request: the series, or (all-or-nothing) the local dates whose slots
/// were not free, with nothing left booked.
/// </summary>
[GenerateSerializer, Immutable, Alias("cc.SeriesOutcome")]
public sealed record SeriesOutcome(
    [property: Id(0)] AppointmentSeries? Series,
    [property: Id(1)] IReadOnlyList<SeriesConflict> Conflicts);

/// <summary>An occurrence that could not be booked: its local date, start and the refusal's code.</summary>
[GenerateSerializer, Immutable, Alias("cc.SeriesConflict")]
public sealed record SeriesConflict(
    [property: Id(0)] DateOnly Date,
    [property: Id(1)] DateTimeOffset Start,
    [property: Id(2)] string Code);
