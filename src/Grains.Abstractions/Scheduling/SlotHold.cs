namespace ClinicCluster.Scheduling;

/// <summary>
/// A claim on a time range for one appointment. <see cref="BlockedUntil"/> is the end plus the
/// visit type's buffer: the provider is busy until then, the patient only until <c>End</c>.
/// </summary>
[GenerateSerializer, Immutable, Alias("cc.SlotHold")]
public sealed record SlotHold(
    [property: Id(0)] AppointmentSummary Appointment,
    [property: Id(1)] DateTimeOffset BlockedUntil);
