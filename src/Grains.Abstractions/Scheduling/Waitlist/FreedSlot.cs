namespace ClinicCluster.Scheduling;

/// <summary>
/// A visit range that a cancellation, reschedule or no-show gave back to a provider's calendar;
/// <see cref="AppointmentId"/> is the appointment that freed it.
/// </summary>
[GenerateSerializer, Immutable, Alias("cc.FreedSlot")]
public sealed record FreedSlot(
    [property: Id(0)] string ProviderId,
    [property: Id(1)] string AppointmentType,
    [property: Id(2)] DateTimeOffset Start,
    [property: Id(3)] DateTimeOffset End,
    [property: Id(4)] string AppointmentId);
