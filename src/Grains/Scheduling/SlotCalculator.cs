using ClinicCluster.Clinics;
using NodaTime;
using NodaTime.TimeZones;

namespace ClinicCluster.Scheduling;

/// <summary>
/// Places visits in a provider's week. Working hours are wall-clock times in the clinic's zone;
/// they are turned into instants per calendar day, so a day with a daylight-saving change has
/// as many real hours of work as the clock shows (one fewer in spring, one more in autumn).
/// All arithmetic after that step is on instants.
/// </summary>
public sealed class SlotCalculator
{
    private static readonly ZoneLocalMappingResolver GapToEnd =
        Resolvers.CreateMappingResolver(Resolvers.ReturnEarlier, Resolvers.ReturnStartOfIntervalAfter);

    private readonly DateTimeZone _zone;
    private readonly ProviderProfile _provider;

    public SlotCalculator(string timeZone, ProviderProfile provider)
    {
        _zone = ClinicTimeZones.Get(timeZone);
        _provider = provider;
    }

    /// <summary>The working windows of one local date, as instants.</summary>
    public IEnumerable<TimeRange> WorkingWindows(DateOnly date)
    {
        var local = new LocalDate(date.Year, date.Month, date.Day);
        foreach (var hours in _provider.WorkingHours.Where(h => h.Day == date.DayOfWeek).OrderBy(h => h.Start))
        {
            // A time inside a spring-forward gap resolves to the first instant after the gap (03:00,
            // not "02:30 shifted by an hour"); an ambiguous autumn time takes its earlier occurrence.
            var start = local.At(ToLocalTime(hours.Start)).InZone(_zone, GapToEnd).ToDateTimeOffset();
            var end = local.At(ToLocalTime(hours.End)).InZone(_zone, GapToEnd).ToDateTimeOffset();
            if (start < end)
            {
                yield return new TimeRange(start.ToUniversalTime(), end.ToUniversalTime());
            }
        }
    }

    /// <summary>
    /// Why the provider cannot take a visit of <paramref name="type"/> at <paramref name="start"/>,
    /// or null when the provider can. <paramref name="busy"/> are other visits' blocked ranges.
    /// </summary>
    public SlotRefusal? Check(DateTimeOffset start, AppointmentType type, IEnumerable<TimeRange> busy)
    {
        var visit = new TimeRange(start, start.AddMinutes(type.DurationMinutes));
        var blocked = visit with { End = visit.End.AddMinutes(type.BufferMinutes) };

        var localDate = DateOnly.FromDateTime(ToZoned(start).DateTime);
        return WorkingWindows(localDate).Any(window => window.Contains(visit))
            ? Conflict(visit, blocked, busy)
            : SlotRefusal.OutsideWorkingHours;
    }

    /// <summary>
    /// Open slots between two local dates (inclusive) on the policy's grid, counted from the start
    /// of each working window, that start no earlier than <paramref name="earliest"/> and no later
    /// than <paramref name="latest"/>; the first <paramref name="limit"/> of them, in start order.
    /// </summary>
    public IReadOnlyList<TimeRange> OpenSlots(
        DateOnly from,
        DateOnly to,
        AppointmentType type,
        int slotIntervalMinutes,
        IReadOnlyCollection<TimeRange> busy,
        DateTimeOffset earliest,
        DateTimeOffset latest,
        int limit = int.MaxValue) =>
        OpenSlots(from, to, type, slotIntervalMinutes, new BusyTimeline(busy), earliest, latest, limit);

    /// <summary>
    /// <see cref="OpenSlots(DateOnly, DateOnly, AppointmentType, int, IReadOnlyCollection{TimeRange}, DateTimeOffset, DateTimeOffset, int)"/>
    /// against a timeline already built (the clinic's replica keeps one per provider between searches).
    /// </summary>
    public IReadOnlyList<TimeRange> OpenSlots(
        DateOnly from,
        DateOnly to,
        AppointmentType type,
        int slotIntervalMinutes,
        BusyTimeline timeline,
        DateTimeOffset earliest,
        DateTimeOffset latest,
        int limit = int.MaxValue)
    {
        var slots = new List<TimeRange>();
        var step = TimeSpan.FromMinutes(Math.Max(1, slotIntervalMinutes));
        for (var date = from; date <= to && slots.Count < limit; date = date.AddDays(1))
        {
            foreach (var window in WorkingWindows(date))
            {
                // Windows of one day may overlap: each starts its own walk.
                var start = window.Start;
                var position = timeline.Seek(start);
                while (start.AddMinutes(type.DurationMinutes) <= window.End && slots.Count < limit)
                {
                    // Inside this window by construction: only other visits and time off can refuse it.
                    var visit = new TimeRange(start, start.AddMinutes(type.DurationMinutes));
                    var blocked = visit with { End = visit.End.AddMinutes(type.BufferMinutes) };
                    if (timeline.FirstOverlapping(blocked, ref position) is { } taken)
                    {
                        // Every grid point before the busy interval's end is refused by it too.
                        start = window.Start + (step * Math.Ceiling((taken.End - window.Start) / step));
                        continue;
                    }

                    if (start >= earliest && start <= latest && !OnTimeOff(visit))
                    {
                        slots.Add(visit);
                    }

                    start += step;
                }
            }
        }

        return slots;
    }

    /// <summary>Time off overlapping the visit, or another visit overlapping its blocked range (visit and buffer).</summary>
    private SlotRefusal? Conflict(TimeRange visit, TimeRange blocked, IEnumerable<TimeRange> busy) =>
        OnTimeOff(visit) ? SlotRefusal.TimeOff
        : busy.Any(other => other.Overlaps(blocked)) ? SlotRefusal.ProviderBusy
        : null;

    private bool OnTimeOff(TimeRange visit) => _provider.TimeOff.Any(off => new TimeRange(off.Start, off.End).Overlaps(visit));

    /// <summary>The instant with the clinic's UTC offset at that instant.</summary>
    public DateTimeOffset ToZoned(DateTimeOffset instant) =>
        Instant.FromDateTimeOffset(instant).InZone(_zone).ToDateTimeOffset();

    private static LocalTime ToLocalTime(TimeOnly time) => new(time.Hour, time.Minute, time.Second);
}
