using ClinicCluster.Clinics;
using ClinicCluster.Scheduling;
using static ClinicCluster.Domain.Tests.SchedulingSamples;

namespace ClinicCluster.Domain.Tests;

/// <summary>Decision 0059: the replica's rules (versions, expiry on read) and the busy time a calendar publishes.</summary>
public sealed class ReplicaCalendarsTests
{
    private static readonly TimeSpan PendingTimeout = TimeSpan.FromMinutes(1);

    private static CalendarBusyTime Busy(long version, params BusyRange[] ranges) => new("prv-1", version, ranges);

    [Fact]
    public void A_newer_version_replaces_whole_and_an_older_or_repeated_one_is_ignored()
    {
        var calendars = new ReplicaCalendars();
        var first = new BusyRange(Start, Start.AddMinutes(40));
        var second = new BusyRange(Start.AddHours(1), Start.AddHours(1).AddMinutes(40));

        Assert.False(calendars.Has("prv-1"));
        Assert.Null(calendars.BusyAt("prv-1", Now));
        Assert.Equal(5, calendars.Apply(Busy(5, first)));
        Assert.Equal(7, calendars.Apply(Busy(7, second)));
        Assert.Equal(7, calendars.Apply(Busy(6, first)));
        Assert.Equal(7, calendars.Apply(Busy(7, first)));

        Assert.Equal([new TimeRange(second.Start, second.End)], calendars.BusyAt("prv-1", Now));
        Assert.Equal(7, calendars.Versions["prv-1"]);

        calendars.Forget("prv-1");
        Assert.False(calendars.Has("prv-1"));
        Assert.Equal(3, calendars.Apply(Busy(3, first)));
    }

    [Fact]
    public void Ranges_stop_blocking_at_their_expiry_and_past_ones_are_left_out_when_read()
    {
        var calendars = new ReplicaCalendars();
        var booked = new BusyRange(Start, Start.AddMinutes(40));
        var held = new BusyRange(Start.AddHours(1), Start.AddHours(1).AddMinutes(40), Now.AddMinutes(5));
        var past = new BusyRange(Now.AddHours(-2), Now.AddHours(-1));
        calendars.Apply(Busy(1, held, past, booked));

        Assert.Equal([new TimeRange(booked.Start, booked.End), new TimeRange(held.Start, held.End)], calendars.BusyAt("prv-1", Now));
        Assert.Equal([new TimeRange(booked.Start, booked.End)], calendars.BusyAt("prv-1", Now.AddMinutes(5)));
    }

    [Fact]
    public void The_published_busy_time_gives_the_calendars_open_slots_at_any_later_instant()
    {
        // A recorded booking, a pending hold of a booking in flight and a checkout hold.
        var book = new CalendarBook();
        book.Load([Row().ProviderHold()], Now);
        book.Hold(Row("apt-2", start: Start.AddHours(1)).ProviderHold(), Now);
        var checkout = new CheckoutHolds();
        checkout.Place(new CheckoutHold(HoldIds.New("prv-1"), "pat-1", "prv-1", "checkup", Start.AddHours(2), Start.AddHours(2).AddMinutes(30), Now.AddMinutes(3)),
            new TimeRange(Start.AddHours(2), Start.AddHours(2).AddMinutes(40)));
        var calendars = new ReplicaCalendars();
        calendars.Apply(new CalendarBusyTime("prv-1", 1, [.. book.BusyTime(Now, PendingTimeout), .. checkout.BusyTime(Now)]));

        var context = AllDay();
        var day = DateOnly.FromDateTime(Start.UtcDateTime);
        var pendingEnds = Now + PendingTimeout;
        foreach (var at in new[] { Now, pendingEnds, pendingEnds.AddTicks(1), Now.AddMinutes(2), Now.AddMinutes(3), Now.AddMinutes(4) })
        {
            // What the calendar offers at that instant (its own busy ranges), against the replica's
            // read then: its ranges, and its timeline kept between reads (rebuilt at each expiry).
            var calendarBusy = book.BusyForOffers(at - PendingTimeout);
            calendarBusy.AddRange(checkout.Blocking(at));
            var expected = OpenSlotSearch.Find(context, day, day, calendarBusy, at);
            Assert.Equal(expected, OpenSlotSearch.Find(context, day, day, calendars.BusyAt("prv-1", at)!, at));
            Assert.Equal(expected, OpenSlotSearch.Find(context, day, day, calendars.TimelineAt("prv-1", at)!, at));
        }

        Assert.Equal(3, calendars.BusyAt("prv-1", Now.AddMinutes(1))!.Count);
        Assert.Equal(2, calendars.BusyAt("prv-1", Now.AddMinutes(1).AddTicks(1))!.Count);
        Assert.Single(calendars.BusyAt("prv-1", Now.AddMinutes(3))!);
    }

    private static SchedulingContext AllDay() => Context() with
    {
        Provider = new ProviderProfile("Dr. A", "General",
            Enum.GetValues<DayOfWeek>().Select(d => new WorkingHours(d, new TimeOnly(8, 0), new TimeOnly(20, 0))).ToList(), []),
    };
}
