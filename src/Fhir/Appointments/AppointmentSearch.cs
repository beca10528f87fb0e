using System.Globalization;
using ClinicCluster.Clinics;
using ClinicCluster.Common;
using ClinicCluster.Fhir.Hosting;
using ClinicCluster.Scheduling;

namespace ClinicCluster.Fhir.Appointments;

/// <summary>
/// Runs an Appointment search on the native lists: the patient's calendar when a patient is named
/// (else the practitioner's) lists the appointments starting in the date range, from the ledger;
/// the other filters narrow them. At most <see cref="MaxMatches"/> are kept, by start then id.
/// </summary>
public static class AppointmentSearch
{
    public const int MaxMatches = 1000;

    /// <summary>Without a <c>date</c>, the range is wide but fixed: no ledger read is unbounded.</summary>
    public static readonly DateTimeOffset Earliest = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static readonly DateTimeOffset Latest = new(2100, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static async Task<(IReadOnlyList<string>? Ids, FhirResult? Error)> MatchAsync(IGrainFactory grains, string clinicId, AppointmentSearchQuery query)
    {
        var clinic = await grains.GetGrain<IClinicGrain>(clinicId).GetAsync();
        if (clinic is null)
        {
            return (null, FhirOutcomes.NotFound("Clinic"));
        }

        if (Range(query.Dates, TimeZoneInfo.FindSystemTimeZoneById(clinic.Settings.TimeZone)) is not { } range)
        {
            return (null, FhirOutcomes.Invalid("Parameter 'date': a prefix (eq, ge, gt, le, lt) and yyyy-MM-dd or an instant with its offset."));
        }

        IScheduleGrain calendar = query.PatientId is { } patientId
            ? grains.GetGrain<IPatientScheduleGrain>(ClinicScopedKey.Format(clinicId, patientId))
            : grains.GetGrain<IProviderScheduleGrain>(ClinicScopedKey.Format(clinicId, query.PractitionerId!));
        var listed = range.From < range.To ? await calendar.ListAsync(range.From, range.To) : [];
        var ids = listed
            .Where(a => query.PractitionerId is null || a.ProviderId == query.PractitionerId)
            .Where(a => query.Statuses is null || query.Statuses.Contains(a.Status))
            .OrderBy(a => a.Start).ThenBy(a => a.Id, StringComparer.Ordinal)
            .Select(a => a.Id).Take(MaxMatches).ToList();
        return (ids, null);
    }

    /// <summary>The full appointments of one page, in the page's order.</summary>
    public static async Task<IReadOnlyList<Appointment>> LoadAsync(IGrainFactory grains, string clinicId, IReadOnlyList<string> ids)
    {
        var loaded = await Task.WhenAll(ids.Select(id => grains.GetGrain<IAppointmentGrain>(ClinicScopedKey.Format(clinicId, id)).GetAsync()));
        return loaded.OfType<Appointment>().ToList();
    }

    /// <summary>The instants [From, To) the date parameters allow, or null when one does not parse.</summary>
    public static (DateTimeOffset From, DateTimeOffset To)? Range(IEnumerable<(string Prefix, string Value)> dates, TimeZoneInfo zone)
    {
        var (from, to) = (Earliest, Latest);
        foreach (var (prefix, value) in dates)
        {
            if (Bounds(value, zone) is not { } b)
            {
                return null;
            }

            (from, to) = prefix switch
            {
                "eq" => (Max(from, b.Lower), Min(to, b.Upper)),
                "ge" => (Max(from, b.Lower), to),
                "gt" => (Max(from, b.Upper), to),
                "le" => (from, Min(to, b.Upper)),
                _ => (from, Min(to, b.Lower)),
            };
        }

        return (from, to);
    }

    // A local date is its whole day in the clinic's zone; an instant is itself.
    private static (DateTimeOffset Lower, DateTimeOffset Upper)? Bounds(string value, TimeZoneInfo zone)
    {
        if (DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            // Outside the fixed range a day is an empty edge of it (and never an instant before year 1).
            return date.Year < Earliest.Year ? (Earliest, Earliest)
                : date.Year >= Latest.Year ? (Latest, Latest)
                : (StartOf(date, zone), StartOf(date.AddDays(1), zone));
        }

        return value.Length > 10 && value[10] == 'T' && (value.EndsWith('Z') || value[^6] is '+' or '-')
            && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.None, out var instant)
            && instant >= Earliest && instant < Latest
            ? (instant, instant.AddTicks(1))
            : null;
    }

    private static DateTimeOffset StartOf(DateOnly date, TimeZoneInfo zone)
    {
        var local = date.ToDateTime(TimeOnly.MinValue);
        return zone.IsInvalidTime(local) ? new DateTimeOffset(local.AddHours(1), zone.GetUtcOffset(local.AddHours(1))) : new DateTimeOffset(local, zone.GetUtcOffset(local));
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
