using ClinicCluster.Scheduling;

namespace ClinicCluster.Domain.Tests;

public sealed class BusyTimelineTests
{
    private static readonly DateTimeOffset Origin = new(2026, 6, 10, 0, 0, 0, TimeSpan.Zero);

    private static TimeRange Range(int fromMinute, int toMinute) => new(Origin.AddMinutes(fromMinute), Origin.AddMinutes(toMinute));

    [Fact]
    public void Overlapping_and_touching_ranges_merge_and_empty_ones_drop()
    {
        var timeline = new BusyTimeline([Range(60, 90), Range(0, 30), Range(30, 45), Range(40, 50), Range(100, 100)]);

        Assert.Equal(2, timeline.Count);
        var position = 0;
        Assert.Equal(Range(0, 50), timeline.FirstOverlapping(Range(10, 20), ref position));
        Assert.Null(timeline.FirstOverlapping(Range(50, 60), ref position));
        Assert.Equal(Range(60, 90), timeline.FirstOverlapping(Range(85, 95), ref position));
        Assert.Null(timeline.FirstOverlapping(Range(90, 200), ref position));
    }

    [Fact]
    public void Seek_finds_the_first_interval_ending_after_an_instant()
    {
        var timeline = new BusyTimeline([Range(0, 30), Range(60, 90)]);

        Assert.Equal(0, timeline.Seek(Origin.AddMinutes(-10)));
        Assert.Equal(1, timeline.Seek(Origin.AddMinutes(30)));
        Assert.Equal(1, timeline.Seek(Origin.AddMinutes(89)));
        Assert.Equal(2, timeline.Seek(Origin.AddMinutes(90)));
    }

    [Fact]
    public void A_walk_in_start_order_agrees_with_a_scan_of_every_range()
    {
        var random = new Random(7);
        var ranges = Enumerable.Range(0, 500).Select(_ => random.Next(0, 20_000)).Select(start => Range(start, start + random.Next(1, 240))).ToList();
        var timeline = new BusyTimeline(ranges);
        var spans = Enumerable.Range(0, 2_000).Select(_ => random.Next(-500, 20_500)).Order().Select(start => Range(start, start + random.Next(1, 90)));

        var position = timeline.Seek(Origin.AddMinutes(-500));
        foreach (var span in spans)
        {
            var found = timeline.FirstOverlapping(span, ref position);

            Assert.Equal(ranges.Any(r => r.Overlaps(span)), found is not null);
            if (found is { } interval)
            {
                Assert.True(interval.Overlaps(span));
                // The first interval in the way holds the earliest range in the way.
                Assert.True(interval.Contains(ranges.Where(r => r.Overlaps(span)).MinBy(r => r.Start)));
            }
        }
    }
}
