using System.Globalization;
using ClinicCluster.Scheduling;

namespace ClinicCluster.Fhir.Operations;

/// <summary>
/// The window of a <c>$find</c>: the local dates the clinic-wide search reads and the instants a
/// proposal must lie within. A date counts whole (its local day); an instant is exact; without an
/// end the window is <see cref="ClinicAvailabilityLimits.MaxDays"/> local days.
/// </summary>
public sealed record FindWindow(DateOnly FromDate, DateOnly ToDate, DateTimeOffset From, DateTimeOffset To)
{
    public static FindWindow? Of(string start, string? end, TimeZoneInfo zone)
    {
        if (Parse(start, zone) is not { } s)
        {
            return null;
        }

        var e = end is null ? (s.Date.AddDays(ClinicAvailabilityLimits.MaxDays - 1), (DateTimeOffset?)null) : Parse(end, zone);
        if (e is not { } last || last.Date < s.Date || last.Date.DayNumber - s.Date.DayNumber >= ClinicAvailabilityLimits.MaxDays
            || (last.Instant is { } to && s.Instant is { } from && to <= from))
        {
            return null;
        }

        return new FindWindow(s.Date, last.Date, s.Instant ?? DateTimeOffset.MinValue, last.Instant ?? DateTimeOffset.MaxValue);
    }

    private static (DateOnly Date, DateTimeOffset? Instant)? Parse(string value, TimeZoneInfo zone)
    {
        if (DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return (date, null);
        }

        if (value.Length > 10 && value[10] == 'T' && (value.EndsWith('Z') || value[^6] is '+' or '-')
            && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.None, out var instant)
            && instant.Year is > 1 and < 9999)
        {
            return (DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, zone).DateTime), instant);
        }

        return null;
    }
}
