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
        Assert.Single(book.BusyExcept("apt-2"));
        Assert.Empty(book.BusyExcept("apt-1"));
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
}
