namespace ClinicCluster.Scheduling;

/// <summary>The calendar's repair to the ledger's truth (decision 0006).</summary>
public sealed partial class CalendarBook
{
    /// <summary>
    /// Compares the recorded entries and stale holds with the ledger's active claims and repairs
    /// the calendar to them. Pending holds younger than the cutoff belong to bookings in flight and
    /// are kept. Sound because the calendar runs one call at a time: every recorded entry was
    /// committed before the ledger was read.
    /// </summary>
    public List<ReconcileFinding> Reconcile(IReadOnlyList<SlotHold> ledger, DateTimeOffset pendingCutoff, string view, DateTimeOffset now)
    {
        var truth = ledger.ToDictionary(h => h.Appointment.Id, StringComparer.Ordinal);
        var recorded = _byStart.Where(e => e.Recorded).ToList();
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

        var young = _byStart.Where(e => !e.Recorded && e.HeldAt >= pendingCutoff).ToList();
        Load(ledger, now);
        young.ForEach(Add);
        return findings;
    }
}
