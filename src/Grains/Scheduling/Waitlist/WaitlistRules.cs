using ClinicCluster.Common;

namespace ClinicCluster.Scheduling;

/// <summary>
/// The waitlist's rules: what a request may ask for, which entries a freed slot fits, and in what
/// order they are offered it (higher priority first, first come first served within a priority).
/// </summary>
public static class WaitlistRules
{
    /// <summary>Field errors of a request, judged against the clinic's local date today, or null.</summary>
    public static Error? Validate(JoinWaitlist request, DateOnly today) => new ValidationErrors()
        .Id(request.PatientId, "patientId", "Must be a patient id.")
        .Text(request.AppointmentType, "appointmentType", 64)
        .When(request.ProviderId is not null && !Identifiers.IsValid(request.ProviderId), "providerId", "Must be a provider id, or absent for any provider.")
        .When(request.To < request.From, "to", "'to' must not be before 'from'.")
        .When(request.To < today, "to", "The window has already passed.")
        .When(request.To >= request.From && request.To.DayNumber - request.From.DayNumber + 1 > WaitlistLimits.MaxWindowDays,
            "to", $"The window may cover at most {WaitlistLimits.MaxWindowDays} days.")
        .When(request.MinimumNoticeMinutes is < 0 or > WaitlistLimits.MaxNoticeMinutes,
            "minimumNoticeMinutes", $"Must be between 0 and {WaitlistLimits.MaxNoticeMinutes}.")
        .When(request.Priority is < 0 or > WaitlistLimits.MaxPriority, "priority", $"Must be between 0 and {WaitlistLimits.MaxPriority}.")
        .ToError();

    /// <summary>
    /// True when <paramref name="slot"/> (starting on <paramref name="localDate"/> in the clinic's
    /// zone) fits the entry: same visit type, its provider or any, inside its window, with at least
    /// the notice it asked for, and the entry holds no open offer.
    /// </summary>
    public static bool Fits(WaitlistEntry entry, FreedSlot slot, DateOnly localDate, DateTimeOffset now) =>
        entry.OfferId is null
        && string.Equals(entry.AppointmentType, slot.AppointmentType, StringComparison.Ordinal)
        && (entry.ProviderId is null || string.Equals(entry.ProviderId, slot.ProviderId, StringComparison.Ordinal))
        && localDate >= entry.From && localDate <= entry.To
        && slot.Start - now >= TimeSpan.FromMinutes(entry.MinimumNoticeMinutes);

    /// <summary>The order offers go in: priority descending, then arrival.</summary>
    public static IEnumerable<WaitlistEntry> InOfferOrder(IEnumerable<WaitlistEntry> entries) =>
        entries.OrderByDescending(e => e.Priority).ThenBy(e => e.Sequence);

    /// <summary>The first entry the slot fits, skipping <paramref name="excluded"/> (already offered this slot), or null.</summary>
    public static WaitlistEntry? NextFor(IEnumerable<WaitlistEntry> entries, FreedSlot slot, DateOnly localDate, DateTimeOffset now,
        IReadOnlySet<string> excluded) =>
        InOfferOrder(entries).FirstOrDefault(e => !excluded.Contains(e.Id) && Fits(e, slot, localDate, now));

    /// <summary>True when two offers are for the same slot: one provider, overlapping visits.</summary>
    public static bool SameSlot(WaitlistOffer offer, FreedSlot slot) =>
        offer.ProviderId == slot.ProviderId && offer.Start < slot.End && slot.Start < offer.End;

    /// <summary>The slot an offer was made for (to pass it on after a decline or expiry).</summary>
    public static FreedSlot SlotOf(WaitlistOffer offer) =>
        new(offer.ProviderId, offer.AppointmentType, offer.Start, offer.End, offer.Id);

    /// <summary>The appointment id an accepted offer books: derived from the offer, so a retried accept replays.</summary>
    public static string AppointmentIdOf(string clinicId, string offerId) =>
        "apt-" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(
            System.Text.Encoding.UTF8.GetBytes($"waitlist\n{clinicId}\n{offerId}")))[..32];
}
