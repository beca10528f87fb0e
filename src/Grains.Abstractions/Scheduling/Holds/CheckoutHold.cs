namespace ClinicCluster.Scheduling;

/// <summary>
/// A slot reserved for one patient until <see cref="ExpiresAt"/>: hidden from searches, refused to
/// other bookings, converted by a booking that names <see cref="Id"/>. Kept in the provider's
/// calendar in memory only (decision 0036): lost with its silo, which frees the slot.
/// </summary>
[GenerateSerializer, Immutable, Alias("cc.CheckoutHold")]
public sealed record CheckoutHold(
    [property: Id(0)] string Id,
    [property: Id(1)] string PatientId,
    [property: Id(2)] string ProviderId,
    [property: Id(3)] string AppointmentType,
    [property: Id(4)] DateTimeOffset Start,
    [property: Id(5)] DateTimeOffset End,
    [property: Id(6)] DateTimeOffset ExpiresAt);
