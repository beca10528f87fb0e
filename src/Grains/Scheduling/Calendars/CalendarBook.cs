namespace ClinicCluster.Scheduling;

/// <summary>
/// A calendar's entries in memory: recorded ones rebuilt from the ledger, pending holds of
/// bookings in flight. Plain rules; <see cref="ScheduleGrain"/> serialises access to it.
/// </summary>
public sealed class CalendarBook
{
    private readonly List<CalendarEntry> _entries = [];

    public IReadOnlyList<CalendarEntry> Entries => _entries;

    /// <summary>Replaces everything with the ledger's active claims.</summary>
    public void Load(IEnumerable<SlotHold> ledger, DateTimeOffset now)
    {
        _entries.Clear();
        _entries.AddRange(ledger.Select(h => new CalendarEntry(h, Recorded: true, HeldAt: now)));
    }

    /// <summary>Blocked ranges of every active entry of other appointments: what refuses a hold.</summary>
    public List<TimeRange> BusyExcept(string appointmentId) =>
        _entries.Where(e => e.IsActive && e.AppointmentId != appointmentId).Select(e => e.Blocked).ToList();

    /// <summary>What to offer as busy: recorded entries and holds younger than the timeout.</summary>
    public List<TimeRange> BusyForOffers(DateTimeOffset pendingCutoff) =>
        _entries.Where(e => e.IsActive && (e.Recorded || e.HeldAt >= pendingCutoff)).Select(e => e.Blocked).ToList();

    /// <summary>Holds older than the cutoff, overlapping <paramref name="range"/> when given.</summary>
    public List<CalendarEntry> StalePending(DateTimeOffset pendingCutoff, TimeRange? range = null) =>
        _entries.Where(e => !e.Recorded && e.HeldAt < pendingCutoff && (range is null || e.Blocked.Overlaps(range.Value))).ToList();

    /// <summary>Adds a pending hold; a retry of the same appointment's hold replaces its earlier one.</summary>
    public void Hold(SlotHold hold, DateTimeOffset now)
    {
        _entries.RemoveAll(e => !e.Recorded && e.AppointmentId == hold.Appointment.Id);
        _entries.Add(new CalendarEntry(hold, Recorded: false, HeldAt: now));
    }

    /// <summary>Drops a pending hold (a booking refused or failed before its commit).</summary>
    public bool Release(string appointmentId, DateTimeOffset start) =>
        _entries.RemoveAll(e => !e.Recorded && e.AppointmentId == appointmentId && e.Hold.Appointment.Start == start) > 0;

    /// <summary>
    /// Records a committed row: it replaces every entry of the appointment (so a move frees the old
    /// range), unless the calendar already shows a newer version. Inactive rows block nothing.
    /// </summary>
    public bool Record(SlotHold hold, DateTimeOffset now)
    {
        var id = hold.Appointment.Id;
        if (_entries.Any(e => e.Recorded && e.AppointmentId == id && e.Hold.Version > hold.Version))
        {
            return false;
        }

        _entries.RemoveAll(e => e.AppointmentId == id);
        if (AppointmentTransitions.IsActive(hold.Appointment.Status))
        {
            _entries.Add(new CalendarEntry(hold, Recorded: true, HeldAt: now));
        }

        return true;
    }

    /// <summary>
    /// Compares the recorded entries and stale holds with the ledger's active claims and repairs
    /// the calendar to them. Pending holds younger than the cutoff belong to bookings in flight and
    /// are kept. Sound because the calendar runs one call at a time: every recorded entry was
    /// committed before the ledger was read.
    /// </summary>
    public List<ReconcileFinding> Reconcile(IReadOnlyList<SlotHold> ledger, DateTimeOffset pendingCutoff, string view, DateTimeOffset now)
    {
        var truth = ledger.ToDictionary(h => h.Appointment.Id, StringComparer.Ordinal);
        var recorded = _entries.Where(e => e.Recorded).ToList();
        var findings = new List<ReconcileFinding>();
        foreach (var entry in recorded)
        {
            if (!truth.TryGetValue(entry.AppointmentId, out var expected))
            {
                findings.Add(new ReconcileFinding(FindingKind.Extra, view, entry.AppointmentId, Repaired: true));
            }
            else if (!entry.Shows(expected))
            {
                findings.Add(new ReconcileFinding(FindingKind.Moved, view, entry.AppointmentId, Repaired: true));
            }
        }

        var recordedIds = recorded.Select(e => e.AppointmentId).ToHashSet(StringComparer.Ordinal);
        findings.AddRange(ledger.Where(h => !recordedIds.Contains(h.Appointment.Id))
            .Select(h => new ReconcileFinding(FindingKind.Missing, view, h.Appointment.Id, Repaired: true)));
        var stale = StalePending(pendingCutoff);
        findings.AddRange(stale.Select(e => new ReconcileFinding(FindingKind.StaleHold, view, e.AppointmentId, Repaired: true)));

        var young = _entries.Where(e => !e.Recorded && e.HeldAt >= pendingCutoff).ToList();
        Load(ledger, now);
        _entries.AddRange(young);
        return findings;
    }
}
