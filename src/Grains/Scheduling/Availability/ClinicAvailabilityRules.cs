using ClinicCluster.Common;

namespace ClinicCluster.Scheduling;

/// <summary>
/// The limits of a clinic-wide search. The window is bounded (<see cref="MaxDays"/>) because a
/// search that finds nothing reads every provider's every day; the limit bounds the page, and each
/// calendar stops reading once it has a page's worth.
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
}
