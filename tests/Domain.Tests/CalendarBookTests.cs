using ClinicCluster.Scheduling;
using static ClinicCluster.Domain.Tests.SchedulingSamples;

namespace ClinicCluster.Domain.Tests;

public sealed class CalendarBookTests
{
    private static readonly DateTimeOffset Cutoff = Now.AddMinutes(-1);

    [Fact]
    public void A_record_replaces_the_appointments_entries_unless_it_is_older()
    {
        var book = new CalendarBook();
        var first = Row();
        var moved = first with { Start = Start.AddHours(1), End = Start.AddHours(1).AddMinutes(30), Version = 2 };
        book.Load([first.ProviderHold()], Now);
        book.Hold(moved.ProviderHold(), Now);

        Assert.True(book.Record(moved.ProviderHold(), Now));
        Assert.False(book.Record(first.ProviderHold(), Now));

        var entry = Assert.Single(book.Entries);
        Assert.Equal((moved.Start, true, 2L), (entry.Hold.Appointment.Start, entry.Recorded, entry.Hold.Version));
    }

    [Fact]
    public void An_inactive_record_frees_the_range_and_a_release_drops_only_a_pending_hold()
    {
        var book = new CalendarBook();
        book.Load([Row().ProviderHold()], Now);
        Assert.False(book.Release("apt-1", Start));

        book.Record((Row(status: AppointmentStatus.Cancelled) with { Version = 2 }).ProviderHold(), Now);

        Assert.Empty(book.Entries);
    }

    [Fact]
    public void Stale_holds_stop_being_offered_as_busy_but_still_refuse_until_resolved()
    {
        var book = new CalendarBook();
        book.Hold(Row().ProviderHold(), Now.AddMinutes(-5));

        Assert.Empty(book.BusyForOffers(Cutoff));
        Assert.Single(book.BusyExcept("apt-2", new TimeRange(Start, Start.AddHours(1))));
        Assert.Empty(book.BusyExcept("apt-1", new TimeRange(Start, Start.AddHours(1))));
        Assert.Single(book.StalePending(Cutoff));
    }

    [Fact]
    public void Reconciliation_reports_each_kind_of_difference_and_repairs_to_the_ledger()
    {
        var book = new CalendarBook();
        var kept = Row("apt-kept");
        var moved = Row("apt-moved", start: Start.AddHours(2));
        var extra = Row("apt-extra", start: Start.AddHours(4));
        var missing = Row("apt-missing", start: Start.AddHours(6));
        var stale = Row("apt-stale", start: Start.AddHours(8));
        var young = Row("apt-young", start: Start.AddHours(10));
        book.Load([kept.ProviderHold(), moved.ProviderHold(), extra.ProviderHold()], Now);
        book.Hold(stale.ProviderHold(), Now.AddMinutes(-5));
        book.Hold(young.ProviderHold(), Now);
        var movedInLedger = moved with { Start = moved.Start.AddHours(1), End = moved.End.AddHours(1), Version = 2 };

        var findings = book.Reconcile([kept.ProviderHold(), movedInLedger.ProviderHold(), missing.ProviderHold()], Cutoff, "provider-calendar/prv-1", Now);

        Assert.Equal(
            [(FindingKind.Missing, "apt-missing"), (FindingKind.Extra, "apt-extra"), (FindingKind.Moved, "apt-moved"), (FindingKind.StaleHold, "apt-stale")],
            findings.Select(f => (f.Kind, f.AppointmentId)).Order());
        Assert.All(findings, f => Assert.True(f.Repaired));
        Assert.Equal(
            [("apt-kept", true), ("apt-missing", true), ("apt-moved", true), ("apt-young", false)],
            book.Entries.Select(e => (e.AppointmentId, e.Recorded)).Order());
        Assert.Equal(movedInLedger.Start, book.Entries.Single(e => e.AppointmentId == "apt-moved").Hold.Appointment.Start);
    }

    [Fact]
    public void A_calendar_that_matches_the_ledger_has_no_findings()
    {
        var book = new CalendarBook();
        book.Load([Row().PatientHold()], Now);

        Assert.Empty(book.Reconcile([Row().PatientHold()], Cutoff, "patient-calendar/pat-1", Now));
    }

    [Fact]
    public void The_indexed_book_answers_what_a_scan_of_every_entry_answers()
    {
        // Random holds, records (moves, cancellations), releases and reloads over one week; after
        // each step every query is compared with the same question asked of all entries.
        var random = new Random(20261202);
        var book = new CalendarBook();
        var ids = Enumerable.Range(0, 60).Select(i => $"apt-{i}").ToArray();
        var versions = ids.ToDictionary(id => id, _ => 1L);
        DateTimeOffset RandomStart() => Start.AddMinutes(15 * random.Next(0, 7 * 24 * 4));
        LedgerRow RandomRow(string id) => Row(id, start: RandomStart(), buffer: random.Next(0, 4) * 15) with { Version = versions[id] };

        for (var step = 0; step < 3_000; step++)
        {
            var id = ids[random.Next(ids.Length)];
            var at = Now.AddMinutes(-random.Next(0, 10));
            switch (random.Next(10))
            {
                case < 4:
                    book.Hold(RandomRow(id).ProviderHold(), at);
                    break;
                case < 7:
                    versions[id]++;
                    var status = random.Next(5) == 0 ? AppointmentStatus.Cancelled : AppointmentStatus.Booked;
                    book.Record((RandomRow(id) with { Status = status }).ProviderHold(), at);
                    break;
                case < 9:
                    var pending = book.Entries.Where(e => e.AppointmentId == id && !e.Recorded).ToList();
                    if (pending.Count > 0)
                    {
                        Assert.True(book.Release(id, pending[0].Hold.Appointment.Start));
                    }

                    break;
                default:
                    if (step % 500 == 0)
                    {
                        book.Load(book.Entries.Where(e => e.Recorded).Select(e => e.Hold).ToList(), at);
                    }

                    break;
            }

            var entries = book.Entries;
            Assert.True(entries.Zip(entries.Skip(1)).All(p => p.First.Blocked.Start <= p.Second.Blocked.Start), "entries stay ordered by start");
            var window = new TimeRange(RandomStart(), RandomStart().AddMinutes(random.Next(1, 240)));
            var except = ids[random.Next(ids.Length)];
            Assert.Equal(
                entries.Where(e => e.IsActive && e.AppointmentId != except && e.Blocked.Overlaps(window)).Select(e => e.Blocked).OrderBy(r => r.Start).ThenBy(r => r.End),
                book.BusyExcept(except, window).OrderBy(r => r.Start).ThenBy(r => r.End));
            Assert.Equal(
                entries.Where(e => !e.Recorded && e.HeldAt < Cutoff && e.Blocked.Overlaps(window)).Select(e => e.AppointmentId).Order(),
                book.StalePending(Cutoff, window).Select(e => e.AppointmentId).Order());
        }
    }
}
