using ClinicCluster.Common;

namespace ClinicCluster.Scheduling;

/// <summary>
/// A provider calendar's checkout holds, in memory only. A hold counts until its expiry, checked on
/// every read, so an expired hold frees its slot at once without a timer or a stored reminder; the
/// calendar's timer only prunes them. Plain rules: the grain serialises access.
/// </summary>
public sealed class CheckoutHolds
{
    private readonly Dictionary<string, Entry> _holds = new(StringComparer.Ordinal);

    /// <summary>Holds kept, expired ones included until pruned.</summary>
    public int Count => _holds.Count;

    /// <summary>The blocked ranges (visit and buffer) of the holds alive at <paramref name="now"/>.</summary>
    public IEnumerable<TimeRange> Blocking(DateTimeOffset now) =>
        _holds.Values.Where(e => e.IsAlive(now)).Select(e => e.Blocked);

    /// <summary><see cref="Blocking"/> as the clinic's replica keeps it: each range until its hold expires (decision 0059).</summary>
    public IEnumerable<BusyRange> BusyTime(DateTimeOffset now) =>
        _holds.Values.Where(e => e.IsAlive(now)).Select(e => new BusyRange(e.Blocked.Start, e.Blocked.End, e.Hold.ExpiresAt));

    /// <summary>Slot-held when a live hold overlaps <paramref name="blocked"/>, otherwise null.</summary>
    public Error? RefusePlacement(TimeRange blocked, DateTimeOffset now) =>
        _holds.Values.Any(e => e.IsAlive(now) && e.Blocked.Overlaps(blocked)) ? HoldRules.SlotHeld : null;

    /// <summary>Keeps a new hold; its blocked range must have passed <see cref="RefusePlacement"/>.</summary>
    public void Place(CheckoutHold hold, TimeRange blocked) => _holds[hold.Id] = new Entry(hold, blocked);

    /// <summary>
    /// Why a booking's <paramref name="hold"/> may not take its range: a live hold of another
    /// checkout overlaps it, or the checkout hold it converts is gone or was taken for another
    /// patient, type or start. On success the converted hold is claimed by the booking, which keeps
    /// it from others until the booking is recorded (<see cref="Recorded"/>) or the hold expires.
    /// </summary>
    public Error? RefuseBooking(SlotHold hold, DateTimeOffset now)
    {
        var visit = hold.Appointment;
        var blocked = new TimeRange(visit.Start, hold.BlockedUntil);
        if (_holds.Values.Any(e => e.IsAlive(now) && e.Hold.Id != hold.CheckoutHoldId && e.Blocked.Overlaps(blocked)))
        {
            return HoldRules.SlotHeld;
        }

        if (hold.CheckoutHoldId is not { } id)
        {
            return null;
        }

        if (!_holds.TryGetValue(id, out var converted) || !converted.IsAlive(now))
        {
            return HoldRules.HoldNotFound;
        }

        var held = converted.Hold;
        if (held.PatientId != visit.PatientId || held.AppointmentType != visit.AppointmentType || held.Start != visit.Start)
        {
            return HoldRules.HoldMismatch;
        }

        converted.ClaimedBy = visit.Id;
        return null;
    }

    /// <summary>An appointment was committed: the holds it converted are used up.</summary>
    public void Recorded(string appointmentId)
    {
        foreach (var id in _holds.Where(h => h.Value.ClaimedBy == appointmentId).Select(h => h.Key).ToList())
        {
            _holds.Remove(id);
        }
    }

    /// <summary>Drops a hold; the hold when it was still alive, otherwise null.</summary>
    public CheckoutHold? Release(string holdId, DateTimeOffset now) =>
        _holds.Remove(holdId, out var entry) && entry.IsAlive(now) ? entry.Hold : null;

    /// <summary>Forgets expired holds; how many.</summary>
    public int Prune(DateTimeOffset now)
    {
        var expired = _holds.Where(h => !h.Value.IsAlive(now)).Select(h => h.Key).ToList();
        expired.ForEach(id => _holds.Remove(id));
        return expired.Count;
    }

    /// <summary>The latest expiry of the live holds, if any (how long the calendar must stay active).</summary>
    public DateTimeOffset? LastExpiry(DateTimeOffset now) =>
        _holds.Values.Where(e => e.IsAlive(now)).Select(e => (DateTimeOffset?)e.Hold.ExpiresAt).Max();

    private sealed class Entry(CheckoutHold hold, TimeRange blocked)
    {
        public CheckoutHold Hold { get; } = hold;

        public TimeRange Blocked { get; } = blocked;

        /// <summary>The appointment converting this hold, once its calendar hold was granted.</summary>
        public string? ClaimedBy { get; set; }

        public bool IsAlive(DateTimeOffset now) => Hold.ExpiresAt > now;
    }
}
