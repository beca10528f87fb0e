namespace ClinicCluster.Scheduling;

/// <summary>
/// A calendar's busy ranges as their union: sorted, disjoint intervals, so that a slot search can
/// walk candidates and busy time together in one pass. Checking every candidate slot against every
/// range of the calendar made a search over a fully booked fortnight quadratic (hundreds of
/// candidates times hundreds of ranges per provider), and a clinic-wide search does it for every
/// provider.
/// </summary>
public sealed class BusyTimeline
{
    private readonly TimeRange[] _union;

    public BusyTimeline(IEnumerable<TimeRange> ranges)
    {
        var sorted = ranges.Where(r => r.Start < r.End).ToArray();
        if (!InStartOrder(sorted))
        {
            // Calendars keep their entries by start: a sort is mostly a check.
            Array.Sort(sorted, static (a, b) => a.Start.CompareTo(b.Start));
        }

        var union = new List<TimeRange>(sorted.Length);
        foreach (var range in sorted)
        {
            // Overlapping or touching ranges merge: a span overlaps the merged range exactly when
            // it overlaps one of the two (the ranges are half-open).
            if (union.Count > 0 && range.Start <= union[^1].End)
            {
                union[^1] = union[^1] with { End = range.End > union[^1].End ? range.End : union[^1].End };
            }
            else
            {
                union.Add(range);
            }
        }

        _union = [.. union];
    }

    private static bool InStartOrder(TimeRange[] ranges)
    {
        for (var i = 1; i < ranges.Length; i++)
        {
            if (ranges[i].Start < ranges[i - 1].Start)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The number of disjoint busy intervals.</summary>
    public int Count => _union.Length;

    /// <summary>
    /// The walk's place for spans that start at or after <paramref name="instant"/>: the first
    /// interval that ends after it (the intervals are disjoint, so their ends are sorted too).
    /// </summary>
    public int Seek(DateTimeOffset instant)
    {
        var (low, high) = (0, _union.Length);
        while (low < high)
        {
            var middle = low + ((high - low) / 2);
            if (_union[middle].End <= instant)
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

    /// <summary>
    /// The busy interval that overlaps <paramref name="span"/>, or null. <paramref name="position"/>
    /// is the walk's place (from <see cref="Seek"/>, or 0): asked for spans in order of start, the
    /// whole walk costs one pass over the intervals.
    /// </summary>
    public TimeRange? FirstOverlapping(TimeRange span, ref int position)
    {
        while (position < _union.Length && _union[position].End <= span.Start)
        {
            position++;
        }

        return position < _union.Length && _union[position].Start < span.End ? _union[position] : null;
    }
}
