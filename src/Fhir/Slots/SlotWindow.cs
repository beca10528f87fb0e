using System.Globalization;
using ClinicCluster.Scheduling;

namespace ClinicCluster.Fhir.Slots;

/// <summary>
/// The instants a Slot search covers, <c>[From, To)</c>, and the clinic's local dates they touch
/// (what the provider's calendar computes availability for). <c>start=ge</c> is required; a local
/// date means its start, an instant is exact; <c>start=lt</c> likewise, and without it the window is
/// <see cref="ClinicAvailabilityLimits.MaxDays"/> local days. At most that many local days.
/// </summary>
public sealed record SlotWindow(DateTimeOffset From, DateTimeOffset To, DateOnly FromDate, DateOnly ToDate)
{
    public static SlotWindow? Of(string ge, string? lt, TimeZoneInfo zone)
    {
        if (Instant(ge, zone) is not { } from)
        {
            return null;
        }

        var fromDate = LocalDate(from, zone);
        var to = lt is null ? StartOf(fromDate.AddDays(ClinicAvailabilityLimits.MaxDays), zone) : Instant(lt, zone);
        if (to is not { } end || end <= from)
        {
            return null;
        }

        var toDate = LocalDate(end.AddTicks(-1), zone);
        return toDate.DayNumber - fromDate.DayNumber >= ClinicAvailabilityLimits.MaxDays ? null : new SlotWindow(from, end, fromDate, toDate);
    }

    public bool Contains(DateTimeOffset start) => start >= From && start < To;

    private static DateTimeOffset? Instant(string value, TimeZoneInfo zone)
    {
        if (DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            && date.Year is > 1 and < 9998)
        {
            return StartOf(date, zone);
        }

        return value.Length > 10 && value[10] == 'T' && (value.EndsWith('Z') || value[^6] is '+' or '-')
            && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.None, out var instant)
            && instant.Year is > 1 and < 9998
            ? instant
            : null;
    }

    private static DateOnly LocalDate(DateTimeOffset instant, TimeZoneInfo zone) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, zone).DateTime);

    // A local midnight inside a daylight-saving gap takes the offset before the change (a few zones only; the slots start later anyway).
    private static DateTimeOffset StartOf(DateOnly date, TimeZoneInfo zone)
    {
        var local = date.ToDateTime(TimeOnly.MinValue);
        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }
}
