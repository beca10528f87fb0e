using ClinicCluster.Clinics;

namespace ClinicCluster.Scheduling;

/// <summary>
/// A provider's open slots between two local dates under a scheduling context, given what is busy:
/// the one rule both the calendar (<see cref="ProviderScheduleGrain"/>) and the clinic's replica of
/// the calendars (<see cref="ClinicCalendarReplicaGrain"/>) answer with, so that a clinic-wide search
/// read from the replica shows exactly what the calendars would (decision 0059).
/// </summary>
public static class OpenSlotSearch
{
    /// <summary>
    /// The first <paramref name="limit"/> open slots of the range, clear of <paramref name="busy"/>,
    /// that start at or after <paramref name="notBefore"/> and inside the booking window at <paramref name="now"/>.
    /// </summary>
    public static IReadOnlyList<Slot> Find(
        SchedulingContext context, DateOnly from, DateOnly to, IReadOnlyCollection<TimeRange> busy, DateTimeOffset now,
        DateTimeOffset? notBefore = null, int limit = int.MaxValue) =>
        Find(context, from, to, new BusyTimeline(busy), now, notBefore, limit);

    /// <summary>The same, against a timeline already built.</summary>
    public static IReadOnlyList<Slot> Find(
        SchedulingContext context, DateOnly from, DateOnly to, BusyTimeline busy, DateTimeOffset now,
        DateTimeOffset? notBefore = null, int limit = int.MaxValue)
    {
        var (timeZone, policy, type, provider) = context;
        var calculator = new SlotCalculator(timeZone, provider);

        // Only the booking window can have slots; clamping to it also keeps the date arithmetic
        // far from DateOnly.MaxValue whatever dates a caller sends.
        var earliest = now.AddMinutes(policy.MinimumNoticeMinutes);
        if (notBefore > earliest)
        {
            earliest = notBefore.Value;
        }

        var latest = now.AddDays(policy.MaximumHorizonDays);
        var first = ClinicTimeZones.LocalDate(timeZone, earliest);
        var last = ClinicTimeZones.LocalDate(timeZone, latest);
        (from, to) = (from < first ? first : from, to > last ? last : to);
        if (from > to)
        {
            return [];
        }

        return calculator
            .OpenSlots(from, to, type, policy.SlotIntervalMinutes, busy, earliest, latest, limit)
            .Select(range => new Slot(calculator.ToZoned(range.Start), calculator.ToZoned(range.End)))
            .ToList();
    }
}
