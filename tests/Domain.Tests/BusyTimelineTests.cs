using ClinicCluster.Scheduling;

namespace ClinicCluster.Domain.Tests;

public sealed class BusyTimelineTests
{
    private static readonly DateTimeOffset Origin = new(2026, 6, 10, 0, 0, 0, TimeSpan.Zero);

    private static TimeRange Range(int fromMinute, int toMinute) => new(Origin.AddMinutes(fromMinute), Origin.AddMinutes(toMinute));

    [Fact]
    public void Ranges_are_half_open_and_answered_in_start_order()
    {
        var timeline = new BusyTimeline([Range(60, 90), Range(0, 30), Range(30, 60)]);

        Assert.Equal([Range(0, 30), Range(30, 60)], timeline.Overlapping(Range(10, 60)));
        Assert.Empty(timeline.Overlapping(Range(90, 120)));
        Assert.Empty(new BusyTimeline([]).Overlapping(Range(0, 60)));
    }

    [Fact]
    public void A_long_range_that_began_long_before_the_span_is_found()
    {
        var timeline = new BusyTimeline([Range(0, 10_000), Range(5_000, 5_030)]);

        Assert.Equal([Range(0, 10_000), Range(5_000, 5_030)], timeline.Overlapping(Range(5_010, 5_020)));
    }

    [Fact]
    public void Overlapping_agrees_with_a_scan_of_every_range()
    {
        var random = new Random(7);
        var ranges = Enumerable.Range(0, 500).Select(_ => random.Next(0, 20_000)).Select(start => Range(start, start + random.Next(1, 240))).ToList();
        var timeline = new BusyTimeline(ranges);

        for (var i = 0; i < 500; i++)
        {
            var start = random.Next(-500, 20_500);
            var span = Range(start, start + random.Next(1, 600));
            var expected = ranges.Where(r => r.Overlaps(span)).OrderBy(r => r.Start).ToList();

            Assert.Equal(expected.ToHashSet(), timeline.Overlapping(span).ToHashSet());
        }

        Assert.Equal(500, timeline.Count);
    }
}
