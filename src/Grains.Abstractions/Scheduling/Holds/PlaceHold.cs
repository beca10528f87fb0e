namespace ClinicCluster.Scheduling;

/// <summary>
/// A request to reserve one slot of a provider for a patient during a checkout:
/// <see cref="Minutes"/> long (default 5, at most 15).
/// </summary>
[GenerateSerializer, Immutable, Alias("cc.PlaceHold")]
public sealed record PlaceHold(
    [property: Id(0)] string PatientId,
    [property: Id(1)] string ProviderId,
    [property: Id(2)] string AppointmentType,
    [property: Id(3)] DateTimeOffset Start,
    [property: Id(4)] int? Minutes = null);
