namespace ClinicCluster.Clinics;

/// <summary>
/// Everything a provider's schedule needs from the clinic to place one kind of visit:
/// read from the clinic on each booking so configuration changes apply at once.
/// </summary>
[GenerateSerializer, Immutable, Alias("cc.SchedulingContext")]
public sealed record SchedulingContext(
    [property: Id(0)] string TimeZone,
    [property: Id(1)] BookingPolicy Policy,
    [property: Id(2)] AppointmentType Type,
    [property: Id(3)] ProviderProfile Provider);
