using ClinicCluster.Common;

namespace ClinicCluster.Scheduling;

/// <summary>
/// The limits of a clinic-wide search and the order in which it reads the window. The window is
/// bounded (<see cref="MaxDays"/>) because a search that finds nothing reads every provider's every
/// day; the limit bounds the page; a search that finds enough early stops early.
/// </summary>
public static class ClinicAvailabilityRules
{
    public const int MaxDays = ClinicAvailabilityLimits.MaxDays;
    public const int MaxLimit = ClinicAvailabilityLimits.MaxLimit;
    public const int MaxProviders = ClinicAvailabilityLimits.MaxProviders;

    /// <summary>Field errors of <paramref name="query"/> (its cursor included), or null; the cursor's position in <paramref name="after"/>.</summary>
    public static Error? Validate(ClinicAvailabilityQuery query, out SlotPosition? after)
    {
        after = null;
        var errors = new ValidationErrors()
            .Text(query.AppointmentType, "type", 64)
            .When(query.To < query.From, "to", "'to' must not be before 'from'.")
            .When(query.To.DayNumber - query.From.DayNumber + 1 > MaxDays, "to", $"A search may cover at most {MaxDays} days.")
            .Range(query.Limit, "limit", 1, MaxLimit)
            .OptionalText(query.Specialty, "specialty", ClinicAvailabilityLimits.MaxSpecialtyLength)
            .When(query.Specialty is { } s && string.IsNullOrWhiteSpace(s), "specialty", "Must not be blank.");
        if (query.ProviderIds is { } providers)
        {
            errors.When(providers.Count is 0 or > MaxProviders, "providers", $"1 to {MaxProviders} provider ids, separated by commas.")
                .When(!providers.All(Identifiers.IsValid), "providers", "Must be provider ids.");
        }

        if (errors.ToError() is { } invalid)
        {
            return invalid;
        }

        if (query.Cursor is { } cursor)
        {
            after = AvailabilityCursor.Decode(cursor, AvailabilityCursor.Fingerprint(query));
            if (after is null)
            {
                return Error.Validation("cursor", "Not a cursor of this search: send the cursor a previous page returned, with the same parameters.");
            }
        }

        return null;
    }

    /// <summary>
    /// The windows in which the search reads the calendars: 1 day, then 2, 4, 8... to the end, so a
    /// busy week costs a few rounds and a free morning one round of one day per provider. Every slot
    /// of a window starts before every slot of the next (a provider's hours lie within a local day).
    /// </summary>
    public static IEnumerable<(DateOnly From, DateOnly To)> Windows(DateOnly from, DateOnly to)
    {
        var days = 1;
        for (var start = from; start <= to; days *= 2)
        {
            var end = to.DayNumber - start.DayNumber + 1 <= days ? to : start.AddDays(days - 1);
            yield return (start, end);
            if (end == to)
            {
                yield break;
            }

            start = end.AddDays(1);
        }
    }
}
