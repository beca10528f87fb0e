namespace ClinicCluster.Scheduling;

/// <summary>
/// One appointment's claim in a calendar. An entry is pending from its hold until the calendar
/// is told that the ledger committed it (recorded); a pending entry blocks its range like a
/// recorded one, until it is older than the pending-hold timeout.
/// </summary>
public sealed record CalendarEntry(SlotHold Hold, bool Recorded, DateTimeOffset HeldAt)
{
    public string AppointmentId => Hold.Appointment.Id;

    public TimeRange Blocked => new(Hold.Appointment.Start, Hold.BlockedUntil);

    public bool IsActive => AppointmentTransitions.IsActive(Hold.Appointment.Status);

    /// <summary>Same range and status: what reconciliation compares.</summary>
    public bool Shows(SlotHold other) =>
        Hold.Appointment.Start == other.Appointment.Start
        && Hold.BlockedUntil == other.BlockedUntil
        && Hold.Appointment.Status == other.Appointment.Status;
}
