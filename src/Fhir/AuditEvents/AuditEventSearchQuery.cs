using System.Globalization;
using ClinicCluster.Common;
using ClinicCluster.Fhir.Hosting;
using Microsoft.AspNetCore.Http;

namespace ClinicCluster.Fhir.AuditEvents;

/// <summary>
/// <c>AuditEvent?patient=&amp;date=</c>: a patient (<c>pat-1</c> or <c>Patient/pat-1</c>), up to two
/// dates (prefix eq, ge, gt, le, lt; a UTC day <c>yyyy-MM-dd</c> or an instant with its offset),
/// <c>_count</c> (1-100, default 20) and <c>_page</c>, the keyset position a <c>next</c> link carries
/// (a sequence number). Anything else is 400; errors name the parameter, never its value.
/// </summary>
public sealed record AuditEventSearchQuery(string? PatientId, DateTimeOffset? From, DateTimeOffset? To, int Count, long After)
{
    public const int DefaultCount = 20;
    public const int MaxCount = 100;

    private static readonly string[] Known = ["patient", "date", "_count", "_page", "_format"];

    private static readonly string[] InstantFormats =
    [
        "yyyy-MM-dd'T'HH:mm:sszzz", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", "yyyy-MM-dd'T'HH:mm:ss'Z'", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'",
    ];

    /// <summary>The audit's query kind, as the native audit search names it.</summary>
    public string Kind => PatientId is null ? "time" : "patient";

    public static (AuditEventSearchQuery? Query, FhirResult? Error) Parse(IQueryCollection query)
    {
        if (query.Keys.FirstOrDefault(k => !Known.Contains(k, StringComparer.Ordinal)) is not null)
        {
            return (null, FhirOutcomes.Invalid("AuditEvent search takes patient, date, _count and _page only."));
        }

        foreach (var (name, values) in query)
        {
            var max = name == "date" ? 2 : 1;
            if (values.Count > max || values.Any(v => v is null || FreeText.Problem(v, 64) is not null))
            {
                return (null, FhirOutcomes.Invalid($"Parameter '{name}': at most {max} value(s) of at most 64 printable characters."));
            }
        }

        string? patientId = null;
        if (query.TryGetValue("patient", out var patient))
        {
            patientId = patient[0]!.StartsWith("Patient/", StringComparison.Ordinal) ? patient[0]!["Patient/".Length..] : patient[0];
            if (!Identifiers.IsValid(patientId!))
            {
                return (null, FhirOutcomes.Invalid("Parameter 'patient': give a patient id or Patient/{id}."));
            }
        }

        var count = DefaultCount;
        if (query.TryGetValue("_count", out var countText)
            && (!int.TryParse(countText[0], NumberStyles.None, CultureInfo.InvariantCulture, out count) || count is < 1 or > MaxCount))
        {
            return (null, FhirOutcomes.Invalid($"Parameter '_count': a whole number from 1 to {MaxCount}."));
        }

        long after = 0;
        if (query.TryGetValue("_page", out var page) && !long.TryParse(page[0], NumberStyles.None, CultureInfo.InvariantCulture, out after))
        {
            return (null, FhirOutcomes.Invalid("Parameter '_page': use the next link as given."));
        }

        DateTimeOffset? from = null, to = null;
        foreach (var value in query.TryGetValue("date", out var dates) ? dates : default)
        {
            if (Bounds(value!) is not { } bounds)
            {
                return (null, FhirOutcomes.Invalid("Parameter 'date': [eq|ge|gt|le|lt] and yyyy-MM-dd or an instant with its offset."));
            }

            from = bounds.From is { } f && (from is null || f > from) ? f : from;
            to = bounds.To is { } t && (to is null || t < to) ? t : to;
        }

        return (new AuditEventSearchQuery(patientId, from, to, count, after), null);
    }

    // A day is [day, day+1) in UTC; an instant is [t, t+1 tick): the store's From is inclusive, its To exclusive.
    private static (DateTimeOffset? From, DateTimeOffset? To)? Bounds(string value)
    {
        var prefix = value.Length > 2 && char.IsAsciiLetterLower(value[0]) ? value[..2] : "eq";
        var text = value.Length > 2 && char.IsAsciiLetterLower(value[0]) ? value[2..] : value;
        DateTimeOffset start, end;
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            start = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            end = day == DateOnly.MaxValue ? DateTimeOffset.MaxValue : start.AddDays(1);
        }
        else if (DateTimeOffset.TryParseExact(text, InstantFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out start))
        {
            end = start == DateTimeOffset.MaxValue ? start : start.AddTicks(1);
        }
        else
        {
            return null;
        }

        return prefix switch
        {
            "eq" => (start, end),
            "ge" => (start, null),
            "gt" => (end, null),
            "lt" => (null, start),
            "le" => (null, end),
            _ => null,
        };
    }
}
