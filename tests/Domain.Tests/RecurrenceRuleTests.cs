using ClinicCluster.Scheduling;

namespace ClinicCluster.Domain.Tests;

/// <summary>Issue 24: the RRULE subset a series accepts, and everything else refused by name.</summary>
public sealed class RecurrenceRuleTests
{
    [Theory]
    [InlineData("FREQ=WEEKLY;COUNT=6", 1, 6)]
    [InlineData("RRULE:FREQ=WEEKLY;INTERVAL=2;COUNT=3", 2, 3)]
    [InlineData("freq=weekly;count=52;interval=52", 52, 52)]
    [InlineData("COUNT=1;FREQ=WEEKLY", 1, 1)]
    public void Weekly_rules_with_count_parse(string text, int interval, int count)
    {
        var rule = Assert.IsType<RecurrenceRule>(RecurrenceRule.Parse(text).Value);
        Assert.Equal(interval, rule.Interval);
        Assert.Equal(count, rule.Count);
    }

    [Fact]
    public void Until_is_a_date_or_a_utc_date_time()
    {
        Assert.Equal(new DateOnly(2026, 7, 1), RecurrenceRule.Parse("FREQ=WEEKLY;UNTIL=20260701").Value!.UntilDate);
        Assert.Equal(new DateTimeOffset(2026, 7, 1, 14, 30, 0, TimeSpan.Zero), RecurrenceRule.Parse("FREQ=WEEKLY;UNTIL=20260701T143000Z").Value!.UntilInstant);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("FREQ=DAILY;COUNT=3")]
    [InlineData("FREQ=MONTHLY;COUNT=3")]
    [InlineData("FREQ=WEEKLY")]
    [InlineData("FREQ=WEEKLY;COUNT=3;UNTIL=20260701")]
    [InlineData("FREQ=WEEKLY;COUNT=0")]
    [InlineData("FREQ=WEEKLY;COUNT=53")]
    [InlineData("FREQ=WEEKLY;COUNT=-1")]
    [InlineData("FREQ=WEEKLY;COUNT=+3")]
    [InlineData("FREQ=WEEKLY;COUNT=99999999999")]
    [InlineData("FREQ=WEEKLY;COUNT=٣")]
    [InlineData("FREQ=WEEKLY;INTERVAL=0;COUNT=3")]
    [InlineData("FREQ=WEEKLY;INTERVAL=53;COUNT=3")]
    [InlineData("FREQ=WEEKLY;BYDAY=MO,WE;COUNT=3")]
    [InlineData("FREQ=WEEKLY;WKST=MO;COUNT=3")]
    [InlineData("FREQ=WEEKLY;COUNT=3;COUNT=4")]
    [InlineData("FREQ=WEEKLY;;COUNT=3")]
    [InlineData("FREQ=WEEKLY;COUNT=")]
    [InlineData("FREQ=WEEKLY;UNTIL=20260231")]
    [InlineData("FREQ=WEEKLY;UNTIL=20260701T143000")]
    [InlineData("FREQ=WEEKLY;UNTIL=2026-07-01")]
    [InlineData("FREQ=WEEKLY;COUNT=3\n")]
    [InlineData("FREQ=WEEKLY;COUNT=3\0")]
    [InlineData("FREQ=WEEKLY;COUNT=3;X-NAME=\u202E")]
    public void Anything_outside_the_subset_is_a_rule_error(string? text)
    {
        var error = RecurrenceRule.Parse(text).Error;
        Assert.NotNull(error);
        Assert.True(error.Fields!.ContainsKey("rule"));
    }

    [Fact]
    public void An_overlong_rule_is_refused_before_it_is_split()
    {
        Assert.NotNull(RecurrenceRule.Parse("FREQ=WEEKLY;COUNT=3;" + new string('X', RecurrenceRule.MaxLength)).Error);
    }
}
