namespace ClinicCluster.Scheduling;

/// <summary>
/// A calendar's entries in memory: recorded ones rebuilt from the ledger, pending holds of
/// bookings in flight. Plain rules; <see cref="ScheduleGrain"/> serialises access to it.
/// </summary>
/// <remarks>
/// A provider's calendar holds every future appointment, thousands for a busy one, and every
/// booking asks it twice (hold, record). The entries are therefore kept sorted by start and by
/// appointment id: a hold looks only at the entries that could overlap it, a record only at its
/// own appointment's. Scanning the whole list on each call took a fifth of the silo's CPU at
/// about 500 appointments per calendar (docs/performance.md). Reconciliation with the ledger is in
/// <c>CalendarBook.Reconcile.cs</c>.
/// </remarks>
public sealed partial class CalendarBook
{
    private readonly List<CalendarEntry> _byStart = [];
    private readonly Dictionary<string, List<CalendarEntry>> _byAppointment = new(StringComparer.Ordinal);

    // The longest blocked range held: an entry starting earlier than a range's start minus this
    // cannot reach into the range.
    private TimeSpan _longest;

    /// <summary>Every entry, by start.</summary>
    public IReadOnlyList<CalendarEntry> Entries => _byStart;

    /// <summary>Replaces everything with the ledger's active claims.</summary>
    public void Load(IEnumerable<SlotHold> ledger, DateTimeOffset now)
    {
        _byStart.Clear();
        _byAppointment.Clear();
        _longest = TimeSpan.Zero;
        foreach (var hold in ledger)
        {
            Add(new CalendarEntry(hold, Recorded: true, HeldAt: now));
        }
    }

    /// <summary>
    /// Blocked ranges of the active entries of other appointments that overlap
    /// <paramref name="window"/>: what could refuse a hold inside it.
    /// </summary>
    public List<TimeRange> BusyExcept(string appointmentId, TimeRange window) =>
        ActiveExcept(appointmentId, window).ConvertAll(e => e.Blocked);

    /// <summary>The active entries of other appointments that overlap <paramref name="window"/>.</summary>
    public List<CalendarEntry> ActiveExcept(string appointmentId, TimeRange window) =>
        Overlapping(window).Where(e => e.IsActive && e.AppointmentId != appointmentId).ToList();

    /// <summary>What to offer as busy: recorded entries and holds younger than the timeout.</summary>
    public List<TimeRange> BusyForOffers(DateTimeOffset pendingCutoff) =>
        _byStart.Where(e => e.IsActive && (e.Recorded || e.HeldAt >= pendingCutoff)).Select(e => e.Blocked).ToList();

    /// <summary>
    /// <see cref="BusyForOffers"/> as the clinic's replica keeps it (decision 0059): the ranges that end
    /// after <paramref name="now"/>, each pending hold with the instant it stops counting, so the
    /// replica checks it at read time as <see cref="BusyForOffers"/> does here.
    /// </summary>
    public IEnumerable<BusyRange> BusyTime(DateTimeOffset now, TimeSpan pendingHoldTimeout) =>
        _byStart.Where(e => e.IsActive && e.Blocked.End > now && (e.Recorded || e.HeldAt >= now - pendingHoldTimeout))
            // A pending hold counts while HeldAt >= now - timeout, so up to and including HeldAt + timeout.
            .Select(e => new BusyRange(e.Blocked.Start, e.Blocked.End, e.Recorded ? null : e.HeldAt + pendingHoldTimeout + TimeSpan.FromTicks(1)));

    /// <summary>Holds older than the cutoff, overlapping <paramref name="range"/> when given.</summary>
    public List<CalendarEntry> StalePending(DateTimeOffset pendingCutoff, TimeRange? range = null) =>
        (range is { } window ? Overlapping(window) : _byStart).Where(e => !e.Recorded && e.HeldAt < pendingCutoff).ToList();

    /// <summary>Adds a pending hold; a retry of the same appointment's hold replaces its earlier one.</summary>
    public void Hold(SlotHold hold, DateTimeOffset now)
    {
        RemoveWhere(hold.Appointment.Id, e => !e.Recorded);
        Add(new CalendarEntry(hold, Recorded: false, HeldAt: now));
    }

    /// <summary>Drops a pending hold (a booking refused or failed before its commit).</summary>
    public bool Release(string appointmentId, DateTimeOffset start) =>
        RemoveWhere(appointmentId, e => !e.Recorded && e.Hold.Appointment.Start == start) > 0;

    /// <summary>
    /// Records a committed row: it replaces every entry of the appointment (so a move frees the old
    /// range), unless the calendar already shows a newer version. Inactive rows block nothing.
    /// </summary>
    public bool Record(SlotHold hold, DateTimeOffset now)
    {
        var id = hold.Appointment.Id;
        if (_byAppointment.TryGetValue(id, out var own) && own.Exists(e => e.Recorded && e.Hold.Version > hold.Version))
        {
            return false;
        }

        RemoveWhere(id, _ => true);
        if (AppointmentTransitions.IsActive(hold.Appointment.Status))
        {
            Add(new CalendarEntry(hold, Recorded: true, HeldAt: now));
        }

        return true;
    }

    private IEnumerable<CalendarEntry> Overlapping(TimeRange range)
    {
        var earliest = range.Start - DateTimeOffset.MinValue > _longest ? range.Start - _longest : DateTimeOffset.MinValue;
        for (var i = FirstStartingAtOrAfter(earliest); i < _byStart.Count && _byStart[i].Blocked.Start < range.End; i++)
        {
            if (_byStart[i].Blocked.Overlaps(range))
            {
                yield return _byStart[i];
            }
        }
    }

    private void Add(CalendarEntry entry)
    {
        var blocked = entry.Blocked;
        _byStart.Insert(FirstStartingAfter(blocked.Start), entry);
        if (!_byAppointment.TryGetValue(entry.AppointmentId, out var own))
        {
            _byAppointment[entry.AppointmentId] = own = [];
        }

        own.Add(entry);
        if (blocked.End - blocked.Start > _longest)
        {
            _longest = blocked.End - blocked.Start;
        }
    }

    private int RemoveWhere(string appointmentId, Predicate<CalendarEntry> match)
    {
        if (!_byAppointment.TryGetValue(appointmentId, out var own))
        {
            return 0;
        }

        var removed = own.FindAll(match);
        foreach (var entry in removed)
        {
            own.Remove(entry);
            for (var i = FirstStartingAtOrAfter(entry.Blocked.Start); i < _byStart.Count; i++)
            {
                if (ReferenceEquals(_byStart[i], entry))
                {
                    _byStart.RemoveAt(i);
                    break;
                }
            }
        }

        if (own.Count == 0)
        {
            _byAppointment.Remove(appointmentId);
        }

        return removed.Count;
    }

    /// <summary>The index of the first entry starting at or after <paramref name="start"/>.</summary>
    private int FirstStartingAtOrAfter(DateTimeOffset start) => Search(start, after: false);

    /// <summary>The index of the first entry starting after <paramref name="start"/>.</summary>
    private int FirstStartingAfter(DateTimeOffset start) => Search(start, after: true);

    private int Search(DateTimeOffset start, bool after)
    {
        int low = 0, high = _byStart.Count;
        while (low < high)
        {
            var middle = low + ((high - low) / 2);
            var at = _byStart[middle].Blocked.Start;
            if (at < start || (after && at == start))
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }
}
