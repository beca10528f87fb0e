namespace ClinicCluster.Scheduling;

/// <summary>
/// A clinic-wide search for the earliest open slots of one visit type between two local dates
/// (inclusive), optionally among some providers or one specialty, <see cref="Limit"/> at a time.
/// <see cref="Cursor"/> is the opaque position a previous page answered.
/// </summary>
[GenerateSerializer, Immutable, Alias("cc.ClinicAvailabilityQuery")]
public sealed record ClinicAvailabilityQuery(
    [property: Id(0)] string AppointmentType,
    [property: Id(1)] DateOnly From,
    [property: Id(2)] DateOnly To,
    [property: Id(3)] IReadOnlyList<string>? ProviderIds = null,
    [property: Id(4)] string? Specialty = null,
    [property: Id(5)] int Limit = 20,
    [property: Id(6)] string? Cursor = null);
