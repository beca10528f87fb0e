namespace ClinicCluster.Clinics;

/// <summary>The configuration of a clinic (the tenant): its name, IANA time zone, visit types and policy.</summary>
[GenerateSerializer, Immutable, Alias("cc.ClinicSettings")]
public sealed record ClinicSettings(
    [property: Id(0)] string Name,
    [property: Id(1)] string TimeZone,
    [property: Id(2)] IReadOnlyList<AppointmentType> AppointmentTypes,
    [property: Id(3)] BookingPolicy Policy);
