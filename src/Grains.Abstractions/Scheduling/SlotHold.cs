namespace ClinicCluster.Scheduling;

/// <summary>
/// A claim on a time range for one appointment. <see cref="BlockedUntil"/> is the end plus the
/// visit type's buffer: the provider is busy until then, the patient only until <c>End</c>.
/// <see cref="Version"/> is the ledger row's version it shows (0 for a hold not yet committed), so
/// a calendar never lets an older record replace a newer one. <see cref="CheckoutHoldId"/> is the
/// checkout hold a booking converts (provider calendar only).
/// </summary>
[GenerateSerializer, Immutable, Alias("cc.SlotHold")]
public sealed record SlotHold(
    [property: Id(0)] AppointmentSummary Appointment,
    [property: Id(1)] DateTimeOffset BlockedUntil,
    [property: Id(2)] long Version = 0,
    [property: Id(3)] string? CheckoutHoldId = null);
