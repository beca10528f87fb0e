using ClinicCluster.Clinics;
using ClinicCluster.Scheduling;

namespace ClinicCluster.Domain.Tests;

public sealed class SlotCalculatorTests
{
    private const string NewYork = "America/New_York";

    // Wednesday, EDT (UTC-4).
    private static readonly DateOnly NormalDay = new(2026, 6, 10);

    // Sunday, clocks go 02:00 EST -> 03:00 EDT.
    private static readonly DateOnly SpringForward = new(2026, 3, 8);

    // Sunday, clocks go 02:00 EDT -> 01:00 EST.
    private static readonly DateOnly FallBack = new(2026, 11, 1);

    private static readonly TimeSpan Edt = TimeSpan.FromHours(-4);
    private static readonly TimeSpan Est = TimeSpan.FromHours(-5);

    private static readonly DateTimeOffset NoEarliest = DateTimeOffset.MinValue;
    private static readonly DateTimeOffset NoLatest = DateTimeOffset.MaxValue;

    private static readonly AppointmentType ThirtyMinutes = new("Follow-up", 30, 0);
    private static readonly AppointmentType ThirtyMinutesWithBuffer = new("Consult", 30, 15);
    private static readonly AppointmentType OneHour = new("New patient", 60, 0);

    private static ProviderProfile Provider(params TimeOff[] timeOff)
    {
        var hours = new List<WorkingHours>();
        foreach (var day in Enum.GetValues<DayOfWeek>())
        {
            hours.Add(new WorkingHours(day, new TimeOnly(0, 0), new TimeOnly(4, 0)));
            if (day is not DayOfWeek.Saturday and not DayOfWeek.Sunday)
            {
                hours.Add(new WorkingHours(day, new TimeOnly(9, 0), new TimeOnly(17, 0)));
            }
        }

        return new ProviderProfile("Dr. Test", "Family medicine", hours, timeOff);
    }

    private static SlotCalculator Calculator(params TimeOff[] timeOff) => new(NewYork, Provider(timeOff));

    /// <summary>A wall-clock time on the normal (EDT) day.</summary>
    private static DateTimeOffset Local(int hour, int minute = 0) =>
        new(NormalDay.Year, NormalDay.Month, NormalDay.Day, hour, minute, 0, Edt);

    private static DateTimeOffset Utc(int year, int month, int day, int hour, int minute = 0) =>
        new(year, month, day, hour, minute, 0, TimeSpan.Zero);

    /// <summary>Slots of the normal day that fall in its 09:00-17:00 window.</summary>
    private static List<TimeRange> DaytimeSlots(SlotCalculator calculator, AppointmentType type, IReadOnlyCollection<TimeRange> busy) =>
        calculator.OpenSlots(NormalDay, NormalDay, type, 15, busy, Local(9), Local(17)).ToList();

    [Fact]
    public void Normal_day_working_windows_are_the_wall_clock_hours_at_the_summer_offset()
    {
        var windows = Calculator().WorkingWindows(NormalDay).ToList();

        Assert.Equal(
            [
                new TimeRange(Utc(2026, 6, 10, 4), Utc(2026, 6, 10, 8)),
                new TimeRange(Utc(2026, 6, 10, 13), Utc(2026, 6, 10, 21)),
            ],
            windows);
    }

    [Fact]
    public void Normal_day_has_31_thirty_minute_slots_on_a_15_minute_grid_from_0900_to_1630()
    {
        var calculator = Calculator();

        var slots = DaytimeSlots(calculator, ThirtyMinutes, []);

        Assert.Equal(31, slots.Count);
        Assert.Equal(Utc(2026, 6, 10, 13), slots[0].Start);
        Assert.Equal(Utc(2026, 6, 10, 13, 30), slots[0].End);
        Assert.Equal(Utc(2026, 6, 10, 20, 30), slots[^1].Start);
        Assert.Equal(Utc(2026, 6, 10, 21), slots[^1].End);
        Assert.All(slots.Zip(slots.Skip(1)), pair => Assert.Equal(TimeSpan.FromMinutes(15), pair.Second.Start - pair.First.Start));
    }

    [Fact]
    public void Normal_day_first_daytime_slot_is_shown_as_0900_minus_0400()
    {
        var calculator = Calculator();

        var first = calculator.ToZoned(DaytimeSlots(calculator, ThirtyMinutes, [])[0].Start);

        Assert.Equal(new DateTime(2026, 6, 10, 9, 0, 0), first.DateTime);
        Assert.Equal(Edt, first.Offset);
    }

    [Fact]
    public void Normal_day_counts_slots_of_both_windows_when_not_filtered()
    {
        // 00:00..03:30 (15 slots) + 09:00..16:30 (31 slots).
        var slots = Calculator().OpenSlots(NormalDay, NormalDay, ThirtyMinutes, 15, [], NoEarliest, NoLatest);

        Assert.Equal(46, slots.Count);
    }

    [Fact]
    public void Spring_forward_day_window_from_midnight_to_four_is_only_three_real_hours()
    {
        var window = Assert.Single(Calculator().WorkingWindows(SpringForward));

        Assert.Equal(Utc(2026, 3, 8, 5), window.Start);
        Assert.Equal(Utc(2026, 3, 8, 8), window.End);
        Assert.Equal(TimeSpan.FromHours(3), window.End - window.Start);
    }

    [Fact]
    public void Spring_forward_day_has_one_hour_less_of_slots()
    {
        var calculator = Calculator();

        var slots = calculator.OpenSlots(SpringForward, SpringForward, OneHour, 60, [], NoEarliest, NoLatest);

        Assert.Equal(
            [
                new DateTimeOffset(2026, 3, 8, 0, 0, 0, Est),
                new DateTimeOffset(2026, 3, 8, 1, 0, 0, Est),
                new DateTimeOffset(2026, 3, 8, 3, 0, 0, Edt),
            ],
            slots.Select(s => calculator.ToZoned(s.Start)).ToList());
        Assert.Equal(
            ["00:00-05:00", "01:00-05:00", "03:00-04:00"],
            slots.Select(s => calculator.ToZoned(s.Start).ToString("HH:mmzzz", System.Globalization.CultureInfo.InvariantCulture)).ToList());
    }

    [Fact]
    public void Spring_forward_day_slots_are_exactly_one_real_hour_long()
    {
        var slots = Calculator().OpenSlots(SpringForward, SpringForward, OneHour, 60, [], NoEarliest, NoLatest);

        Assert.All(slots, s => Assert.Equal(TimeSpan.FromHours(1), s.End - s.Start));
        Assert.Equal([Utc(2026, 3, 8, 5), Utc(2026, 3, 8, 6), Utc(2026, 3, 8, 7)], slots.Select(s => s.Start).ToList());
    }

    [Fact]
    public void Spring_forward_day_window_starting_inside_the_gap_starts_at_the_first_instant_after_the_gap()
    {
        // The documented behaviour (SlotCalculator.WorkingWindows): "a start inside a spring-forward gap
        // moves to the first instant after the gap". 02:30 does not exist on 2026-03-08; the first
        // instant after the gap is 03:00 EDT = 07:00Z.
        var profile = new ProviderProfile(
            "Dr. Gap",
            "Night clinic",
            [new WorkingHours(DayOfWeek.Sunday, new TimeOnly(2, 30), new TimeOnly(4, 0))],
            []);
        var calculator = new SlotCalculator(NewYork, profile);

        var window = Assert.Single(calculator.WorkingWindows(SpringForward));

        Assert.Equal(Utc(2026, 3, 8, 7), window.Start);
        Assert.Equal(Utc(2026, 3, 8, 8), window.End);
    }

    [Fact]
    public void Fall_back_day_window_from_midnight_to_four_is_five_real_hours()
    {
        var window = Assert.Single(Calculator().WorkingWindows(FallBack));

        Assert.Equal(Utc(2026, 11, 1, 4), window.Start);
        Assert.Equal(Utc(2026, 11, 1, 9), window.End);
        Assert.Equal(TimeSpan.FromHours(5), window.End - window.Start);
    }

    [Fact]
    public void Fall_back_day_has_one_hour_more_of_slots_with_the_repeated_hour_at_both_offsets()
    {
        var calculator = Calculator();

        var slots = calculator.OpenSlots(FallBack, FallBack, OneHour, 60, [], NoEarliest, NoLatest);

        Assert.Equal(
            ["00:00-04:00", "01:00-04:00", "01:00-05:00", "02:00-05:00", "03:00-05:00"],
            slots.Select(s => calculator.ToZoned(s.Start).ToString("HH:mmzzz", System.Globalization.CultureInfo.InvariantCulture)).ToList());
        Assert.Equal(
            [Utc(2026, 11, 1, 4), Utc(2026, 11, 1, 5), Utc(2026, 11, 1, 6), Utc(2026, 11, 1, 7), Utc(2026, 11, 1, 8)],
            slots.Select(s => s.Start).ToList());
    }

    [Fact]
    public void Busy_range_with_its_buffer_removes_every_overlapping_slot()
    {
        var calculator = Calculator();
        // An existing 10:00-10:30 visit with a 15-minute buffer blocks 10:00-10:45.
        TimeRange[] busy = [new TimeRange(Local(10), Local(10, 45))];

        var starts = DaytimeSlots(calculator, ThirtyMinutesWithBuffer, busy).Select(s => s.Start).ToList();

        // A 30-minute visit plus its own 15-minute buffer starting at s blocks [s, s+45): 09:30..10:30 collide.
        Assert.Equal(31 - 5, starts.Count);
        Assert.Contains(Local(9, 15), starts);
        Assert.DoesNotContain(Local(9, 30), starts);
        Assert.DoesNotContain(Local(9, 45), starts);
        Assert.DoesNotContain(Local(10), starts);
        Assert.DoesNotContain(Local(10, 15), starts);
        Assert.DoesNotContain(Local(10, 30), starts);
        Assert.Contains(Local(10, 45), starts);
    }

    [Fact]
    public void Visit_cannot_start_where_its_own_buffer_would_overlap_a_busy_range()
    {
        var calculator = Calculator();
        TimeRange[] busy = [new TimeRange(Local(10), Local(10, 45))];

        // 09:30-10:00 itself is free, but its buffer runs to 10:15.
        Assert.Equal(SlotRefusal.ProviderBusy, calculator.Check(Local(9, 30), ThirtyMinutesWithBuffer, busy));
        Assert.Null(calculator.Check(Local(9, 30), ThirtyMinutes, busy));
        Assert.Null(calculator.Check(Local(9, 15), ThirtyMinutesWithBuffer, busy));
        Assert.Null(calculator.Check(Local(10, 45), ThirtyMinutesWithBuffer, busy));
    }

    [Fact]
    public void Time_off_removes_the_slots_it_overlaps()
    {
        var calculator = Calculator(new TimeOff(Local(12), Local(13)));

        var starts = DaytimeSlots(calculator, ThirtyMinutes, []).Select(s => s.Start).ToList();

        // Starts 11:45, 12:00, 12:15, 12:30 and 12:45 overlap 12:00-13:00.
        Assert.Equal(31 - 5, starts.Count);
        Assert.Contains(Local(11, 30), starts);
        Assert.DoesNotContain(Local(11, 45), starts);
        Assert.DoesNotContain(Local(12, 45), starts);
        Assert.Contains(Local(13), starts);
    }

    [Fact]
    public void Check_during_time_off_is_refused_as_time_off()
    {
        var calculator = Calculator(new TimeOff(Local(12), Local(13)));

        Assert.Equal(SlotRefusal.TimeOff, calculator.Check(Local(12), ThirtyMinutes, []));
        Assert.Equal(SlotRefusal.TimeOff, calculator.Check(Local(11, 45), ThirtyMinutes, []));
        Assert.Null(calculator.Check(Local(13), ThirtyMinutes, []));
    }

    [Fact]
    public void Check_before_the_window_opens_is_outside_working_hours()
    {
        Assert.Equal(SlotRefusal.OutsideWorkingHours, Calculator().Check(Local(8), ThirtyMinutes, []));
    }

    [Fact]
    public void Check_of_a_visit_ending_after_the_window_closes_is_outside_working_hours()
    {
        var calculator = Calculator();

        Assert.Equal(SlotRefusal.OutsideWorkingHours, calculator.Check(Local(16, 45), ThirtyMinutes, []));
        Assert.Null(calculator.Check(Local(16, 30), ThirtyMinutes, []));
    }

    [Fact]
    public void Check_outside_hours_wins_over_time_off_and_busy()
    {
        var calculator = Calculator(new TimeOff(Local(7), Local(9)));
        TimeRange[] busy = [new TimeRange(Local(8), Local(8, 30))];

        Assert.Equal(SlotRefusal.OutsideWorkingHours, calculator.Check(Local(8), ThirtyMinutes, busy));
    }

    [Fact]
    public void Check_accepts_the_same_instant_whatever_offset_it_is_written_with()
    {
        var calculator = Calculator();

        Assert.Null(calculator.Check(Utc(2026, 6, 10, 13), ThirtyMinutes, []));
        Assert.Null(calculator.Check(Local(9), ThirtyMinutes, []));
    }

    [Fact]
    public void Open_slots_drop_starts_before_earliest_and_after_latest()
    {
        var calculator = Calculator();

        var slots = calculator.OpenSlots(NormalDay, NormalDay, ThirtyMinutes, 15, [], Local(10), Local(11));

        Assert.Equal(
            [Local(10), Local(10, 15), Local(10, 30), Local(10, 45), Local(11)],
            slots.Select(s => s.Start).ToList());
    }

    [Fact]
    public void Open_slots_span_several_local_dates_inclusively()
    {
        // Wednesday 2026-06-10 to Saturday 2026-06-13: three weekdays with 8 + 4 hours and a Saturday with 4 hours.
        var slots = Calculator().OpenSlots(NormalDay, new DateOnly(2026, 6, 13), OneHour, 60, [], NoEarliest, NoLatest);

        Assert.Equal((3 * 12) + 4, slots.Count);
    }

    [Fact]
    public void Open_slots_stop_at_the_limit_in_start_order()
    {
        var to = new DateOnly(2026, 6, 13);
        var all = Calculator().OpenSlots(NormalDay, to, OneHour, 60, [], NoEarliest, NoLatest);

        var first = Calculator().OpenSlots(NormalDay, to, OneHour, 60, [], NoEarliest, NoLatest, limit: 5);

        Assert.Equal(all.Take(5), first);
    }

    [Fact]
    public void Open_slots_over_a_busy_fortnight_are_those_clear_of_every_busy_range()
    {
        // Random busy ranges, some long enough to span a window, against the plain definition: a
        // slot is open when the calculator's check against all of them finds nothing in the way.
        var random = new Random(24);
        var to = NormalDay.AddDays(13);
        var origin = Local(0);
        var busy = Enumerable.Range(0, 300)
            .Select(_ => origin.AddMinutes(random.Next(0, 14 * 24 * 4) * 15))
            .Select(start => new TimeRange(start, start.AddMinutes(random.Next(1, 5) * 15 * (random.Next(20) == 0 ? 40 : 1))))
            .ToList();
        var calculator = Calculator();
        var candidates = calculator.OpenSlots(NormalDay, to, ThirtyMinutesWithBuffer, 15, [], NoEarliest, NoLatest);

        var open = calculator.OpenSlots(NormalDay, to, ThirtyMinutesWithBuffer, 15, busy, NoEarliest, NoLatest);

        var expected = candidates.Where(slot => calculator.Check(slot.Start, ThirtyMinutesWithBuffer, busy) is null).ToList();
        Assert.NotEmpty(expected);
        Assert.NotEqual(candidates.Count, expected.Count);
        Assert.Equal(expected, open);
    }
}
