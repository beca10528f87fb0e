namespace ClinicCluster.Scheduling;

/// <summary>
/// What a calendar currently blocks for one appointment: recorded (committed in the ledger) or a
/// pending hold of a booking in flight. For checks and reconciliation; ids and times only.
/// </summary>
[GenerateSerializer, Immutable, Alias("cc.CalendarBlock")]
public sealed record CalendarBlock(
    [property: Id(0)] string AppointmentId,
    [property: Id(1)] DateTimeOffset Start,
    [property: Id(2)] DateTimeOffset BlockedUntil,
    [property: Id(3)] AppointmentStatus Status,
    [property: Id(4)] bool Recorded,
    [property: Id(5)] long Version);
