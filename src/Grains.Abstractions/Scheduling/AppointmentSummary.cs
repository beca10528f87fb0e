namespace ClinicCluster.Scheduling;

/// <summary>One line of a patient's or provider's list of appointments (no reason text).</summary>
[GenerateSerializer, Immutable, Alias("cc.AppointmentSummary")]
public sealed record AppointmentSummary(
    [property: Id(0)] string Id,
    [property: Id(1)] string PatientId,
    [property: Id(2)] string ProviderId,
    [property: Id(3)] string AppointmentType,
    [property: Id(4)] DateTimeOffset Start,
    [property: Id(5)] DateTimeOffset End,
    [property: Id(6)] AppointmentStatus Status);
