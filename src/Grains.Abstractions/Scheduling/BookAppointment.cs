namespace ClinicCluster.Scheduling;

/// <summary>A request to book a visit.</summary>
[GenerateSerializer, Immutable, Alias("cc.BookAppointment")]
public sealed record BookAppointment(
    [property: Id(0)] string PatientId,
    [property: Id(1)] string ProviderId,
    [property: Id(2)] string AppointmentType,
    [property: Id(3)] DateTimeOffset Start,
    [property: Id(4)] string? Reason = null);
