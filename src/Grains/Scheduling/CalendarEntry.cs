namespace ClinicCluster.Scheduling;

/// <summary>
/// One appointment's claim in a schedule. An entry is pending from its hold until the appointment
/// is stored and recorded; a pending entry blocks its range like a recorded one.
/// </summary>
[GenerateSerializer, Alias("cc.CalendarEntry")]
public sealed record CalendarEntry(
    [property: Id(0)] SlotHold Hold,
    [property: Id(1)] bool Recorded,
    [property: Id(2)] DateTimeOffset HeldAt)
{
    public string AppointmentId => Hold.Appointment.Id;

    public TimeRange Blocked => new(Hold.Appointment.Start, Hold.BlockedUntil);

    public bool IsActive => AppointmentTransitions.IsActive(Hold.Appointment.Status);
}
