using System.Globalization;
using ClinicCluster.Common;

namespace ClinicCluster.Scheduling;

/// <summary>
/// The subset of an RFC 5545 RRULE a series accepts: <c>FREQ=WEEKLY</c>, an optional
/// <c>INTERVAL</c> (every k weeks) and exactly one of <c>COUNT</c> or <c>UNTIL</c> (a date, or a
/// UTC date-time ending in Z). Anything else (BYDAY, other frequencies, a floating UNTIL) is refused
/// by name, so a client never gets a series other than the one it asked for. An optional
/// <c>RRULE:</c> prefix is allowed; names are case-insensitive as in RFC 5545.
/// </summary>
public sealed record RecurrenceRule(int Interval, int? Count, DateOnly? UntilDate, DateTimeOffset? UntilInstant)
{
    public const int MaxLength = 200;
    public const int MaxOccurrences = 52;
    public const int MaxInterval = 52;

    private const string Field = "rule";

    /// <summary>The rule, or a validation error on <c>rule</c> that says which part is not supported.</summary>
    public static Result<RecurrenceRule> Parse(string? text)
    {
        if (!FreeText.IsPrintableAscii(text, MaxLength))
        {
            return Invalid($"Must be 1 to {MaxLength} printable ASCII characters, for example FREQ=WEEKLY;INTERVAL=2;COUNT=6.");
        }

        var body = text!.StartsWith("RRULE:", StringComparison.OrdinalIgnoreCase) ? text[6..] : text;
        var parts = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var part in body.Split(';'))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0 || equals == part.Length - 1)
            {
                return Invalid("Every part must be NAME=VALUE, separated by ';'.");
            }

            var name = part[..equals].ToUpperInvariant();
            if (!parts.TryAdd(name, part[(equals + 1)..]))
            {
                return Invalid($"{name} appears more than once.");
            }
        }

        foreach (var name in parts.Keys.Where(n => n is not ("FREQ" or "INTERVAL" or "COUNT" or "UNTIL")))
        {
            return Invalid($"{name} is not supported (only FREQ=WEEKLY, INTERVAL, COUNT and UNTIL are).");
        }

        if (!parts.TryGetValue("FREQ", out var freq) || !freq.Equals("WEEKLY", StringComparison.OrdinalIgnoreCase))
        {
            return Invalid("FREQ=WEEKLY is required (no other frequency is supported).");
        }

        var interval = 1;
        if (parts.TryGetValue("INTERVAL", out var intervalText) && !TryNumber(intervalText, 1, MaxInterval, out interval))
        {
            return Invalid($"INTERVAL must be a whole number from 1 to {MaxInterval}.");
        }

        var hasCount = parts.TryGetValue("COUNT", out var countText);
        var hasUntil = parts.TryGetValue("UNTIL", out var untilText);
        if (hasCount == hasUntil)
        {
            return Invalid("Exactly one of COUNT or UNTIL is required.");
        }

        if (hasCount)
        {
            return TryNumber(countText!, 1, MaxOccurrences, out var count)
                ? new RecurrenceRule(interval, count, null, null)
                : Invalid($"COUNT must be a whole number from 1 to {MaxOccurrences}.");
        }

        if (DateOnly.TryParseExact(untilText, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return new RecurrenceRule(interval, null, date, null);
        }

        return DateTime.TryParseExact(untilText, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture,
            DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var instant)
            ? new RecurrenceRule(interval, null, null, new DateTimeOffset(instant, TimeSpan.Zero))
            : Invalid("UNTIL must be a date (YYYYMMDD) or a UTC date-time (YYYYMMDDTHHMMSSZ).");
    }

    private static bool TryNumber(string text, int min, int max, out int value)
    {
        value = 0;
        return text.Length <= 3 && text.All(char.IsAsciiDigit)
            && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= min && value <= max;
    }

    private static Error Invalid(string message) => Error.Validation(Field, message);
}
