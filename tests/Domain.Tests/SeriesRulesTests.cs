using ClinicCluster.Common;
using ClinicCluster.Scheduling;

namespace ClinicCluster.Domain.Tests;

/// <summary>Issue 24: a series' occurrences keep the local time of day across daylight saving, and its request's validation.</summary>
public sealed class SeriesRulesTests
{
    private const string NewYork = "America/New_York";

    private static RecurrenceRule Rule(string text) => RecurrenceRule.Parse(text).Value!;

    [Fact]
    public void Occurrences_keep_the_local_time_across_a_daylight_saving_change()
    {
        // Monday 2026-10-26 10:00 EDT; New York falls back on 2026-11-01.
        var start = new DateTimeOffset(2026, 10, 26, 10, 0, 0, TimeSpan.FromHours(-4));

        var starts = SeriesRules.Occurrences(NewYork, start, Rule("FREQ=WEEKLY;COUNT=3")).Value!;

        Assert.Equal([start, new DateTimeOffset(2026, 11, 2, 10, 0, 0, TimeSpan.FromHours(-5)), new DateTimeOffset(2026, 11, 9, 10, 0, 0, TimeSpan.FromHours(-5))], starts);
    }

    [Fact]
    public void Interval_skips_weeks_and_until_is_inclusive()
    {
        var start = new DateTimeOffset(2026, 6, 1, 9, 0, 0, TimeSpan.FromHours(-4));

        var byDate = SeriesRules.Occurrences(NewYork, start, Rule("FREQ=WEEKLY;INTERVAL=2;UNTIL=20260629")).Value!;
        var byInstant = SeriesRules.Occurrences(NewYork, start, Rule("FREQ=WEEKLY;UNTIL=20260615T125959Z")).Value!;

        Assert.Equal([start, start.AddDays(14), start.AddDays(28)], byDate);
        Assert.Equal([start, start.AddDays(7)], byInstant);
    }

    [Fact]
    public void An_until_before_the_start_or_beyond_the_maximum_is_refused()
    {
        var start = new DateTimeOffset(2026, 6, 1, 9, 0, 0, TimeSpan.FromHours(-4));

        Assert.NotNull(SeriesRules.Occurrences(NewYork, start, Rule("FREQ=WEEKLY;UNTIL=20260531")).Error);
        Assert.NotNull(SeriesRules.Occurrences(NewYork, start, Rule("FREQ=WEEKLY;UNTIL=20290101")).Error);
        Assert.Equal(52, SeriesRules.Occurrences(NewYork, start, Rule("FREQ=WEEKLY;UNTIL=20270524")).Value!.Count);
    }

    [Fact]
    public void Validation_names_every_bad_field()
    {
        var request = new BookSeries("Bad Id", "", "a\u0001b", new DateTimeOffset(1, 1, 1, 0, 0, 0, TimeSpan.Zero), "FREQ=DAILY", (SeriesMode)7, "\0");

        var fields = SeriesRules.Validate(request)!.Fields!;

        Assert.Equal(["appointmentType", "mode", "patientId", "providerId", "reason", "rule", "start"], fields.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Only_slot_refusals_may_be_skipped()
    {
        Assert.True(SeriesRules.IsSlotConflict(Error.Conflict("provider-busy", "x")));
        Assert.True(SeriesRules.IsSlotConflict(Error.Validation("start", "window")));
        Assert.False(SeriesRules.IsSlotConflict(Error.NotFound("Patient")));
        Assert.False(SeriesRules.IsSlotConflict(Error.Validation("appointmentType", "unknown")));
    }

    [Fact]
    public void Occurrence_ids_are_derived_from_the_series_and_index()
    {
        Assert.Equal(SeriesIds.Occurrence("ser-1", 3), SeriesIds.Occurrence("ser-1", 3));
        Assert.NotEqual(SeriesIds.Occurrence("ser-1", 3), SeriesIds.Occurrence("ser-1", 4));
        Assert.NotEqual(SeriesIds.Occurrence("ser-1", 3), SeriesIds.Occurrence("ser-2", 3));
        Assert.True(Identifiers.IsValid(SeriesIds.Occurrence("ser-1", 3)));
    }
}
