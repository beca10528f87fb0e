namespace ClinicCluster.Scheduling;

/// <summary>
/// A calendar's busy ranges sorted by start, so that a slot search asks only the ranges near each
/// working window. Checking every candidate slot against every range of the calendar made a search
/// over a fully booked fortnight quadratic (hundreds of candidates times hundreds of ranges per
/// provider), and a clinic-wide search does it for every provider.
/// </summary>
public sealed class BusyTimeline
{
    private readonly TimeRange[] _ranges;
    private readonly long _longestTicks;

    public BusyTimeline(IEnumerable<TimeRange> ranges)
    {
        _ranges = ranges.ToArray();
        Array.Sort(_ranges, static (a, b) => a.Start.CompareTo(b.Start));
        _longestTicks = _ranges.Length == 0 ? 0 : _ranges.Max(r => (r.End - r.Start).Ticks);
    }

    public int Count => _ranges.Length;

    /// <summary>The ranges that overlap <paramref name="span"/>, in start order.</summary>
    public List<TimeRange> Overlapping(TimeRange span)
    {
        // A range that overlaps the span starts before the span's end, and no earlier than the
        // span's start less the longest range: everything before that ended before the span began.
        var near = new List<TimeRange>();
        for (var i = FirstStartingAtOrAfter(span.Start.UtcTicks - _longestTicks); i < _ranges.Length && _ranges[i].Start < span.End; i++)
        {
            if (_ranges[i].Overlaps(span))
            {
                near.Add(_ranges[i]);
            }
        }

        return near;
    }

    private int FirstStartingAtOrAfter(long utcTicks)
    {
        var (low, high) = (0, _ranges.Length);
        while (low < high)
        {
            var middle = low + ((high - low) / 2);
            if (_ranges[middle].Start.UtcTicks < utcTicks)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }
}
