using ClinicCluster.Clinics;
using ClinicCluster.Common;
using NodaTime;

namespace ClinicCluster.Scheduling;

/// <summary>
/// A series request's validation and its occurrences: the first at the requested start, then
/// every <c>INTERVAL</c> weeks at the same local time of day in the clinic's zone (so a course
/// stays at 10:00 across a daylight-saving change; a time in a spring-forward gap moves forward).
/// </summary>
public static class SeriesRules
{
    /// <summary>Field errors of the request (the rule's own parse included), or null.</summary>
    public static Error? Validate(BookSeries request)
    {
        var errors = new ValidationErrors()
            .Id(request.PatientId, "patientId", "Must be a patient id.")
            .Id(request.ProviderId, "providerId", "Must be a provider id.")
            .Text(request.AppointmentType, "appointmentType", 64)
            .OptionalText(request.Reason, "reason", FieldLimits.Reason, multiline: true)
            .When(!Enum.IsDefined(request.Mode), "mode", "Must be all-or-nothing or book-what-is-free.")
            .When(request.Start.Year is < 2000 or > 9000, "start", "Must be a date-time between the years 2000 and 9000.");
        if (RecurrenceRule.Parse(request.Rule).Error?.Fields is { } ruleErrors)
        {
            errors.Add("rule", ruleErrors["rule"][0]);
        }

        return errors.ToError();
    }

    /// <summary>The starts of the occurrences, or a validation error when the rule gives more than the maximum.</summary>
    public static Result<IReadOnlyList<DateTimeOffset>> Occurrences(string timeZone, DateTimeOffset start, RecurrenceRule rule)
    {
        var zone = ClinicTimeZones.Get(timeZone);
        var first = Instant.FromDateTimeOffset(start).InZone(zone).LocalDateTime;
        var starts = new List<DateTimeOffset>();
        for (var index = 0; index <= RecurrenceRule.MaxOccurrences; index++)
        {
            var local = first.PlusWeeks(index * rule.Interval);
            var instant = zone.AtLeniently(local).ToDateTimeOffset();
            if (rule.Count is { } count ? index >= count
                : rule.UntilInstant is { } until ? instant > until
                : DateOnly.FromDateTime(local.ToDateTimeUnspecified()) > rule.UntilDate)
            {
                break;
            }

            starts.Add(instant);
        }

        if (starts.Count == 0)
        {
            return Error.Validation("rule", "UNTIL is before the first occurrence.");
        }

        return starts.Count > RecurrenceRule.MaxOccurrences
            ? Error.Validation("rule", $"The rule gives more than {RecurrenceRule.MaxOccurrences} occurrences.")
            : starts;
    }

    /// <summary>Conflict codes an occurrence may be skipped for; any other refusal stops the whole request.</summary>
    public static bool IsSlotConflict(Error error) =>
        error.Kind == ErrorKind.Conflict || (error.Kind == ErrorKind.Validation && error.Fields?.ContainsKey("start") == true);
}
