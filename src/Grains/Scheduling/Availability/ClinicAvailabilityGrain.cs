using ClinicCluster.Clinics;
using ClinicCluster.Common;
using Orleans.Concurrency;

namespace ClinicCluster.Scheduling;

/// <summary>
/// The clinic-wide earliest-slot search (decisions 0036, 0054). It reads the clinic once, builds
/// each chosen provider's scheduling context from it, and asks every chosen provider's calendar
/// once for its first open slots after the cursor, at most <see cref="MaxParallelCalls"/> at a
/// time: a calendar stops as soon as it has a page's worth, so a free morning costs each calendar
/// a morning and a fully booked fortnight one pass over it. The calendars answer from memory,
/// interleaved with bookings, so the answer is what a booking would find (a slot taken in between
/// gets 409 at booking, never a double booking). It only orchestrates: the order and the cursor are
/// <see cref="ClinicSlotMerge"/> and <see cref="AvailabilityCursor"/>.
/// </summary>
[StatelessWorker]
public sealed class ClinicAvailabilityGrain : Grain, IClinicAvailabilityGrain
{
    /// <summary>
    /// Calendar calls in flight per search: every provider of a full clinic at once (one round trip),
    /// still a bound on what one search can ask of the silo.
    /// </summary>
    public const int MaxParallelCalls = ClinicAvailabilityLimits.MaxProviders;

    public async Task<Result<ClinicAvailabilityPage>> FindAsync(ClinicAvailabilityQuery query)
    {
        if (ClinicAvailabilityRules.Validate(query, out var after) is { } invalid)
        {
            return invalid;
        }

        var clinicId = this.GetPrimaryKeyString();
        if (await GrainFactory.GetGrain<IClinicGrain>(clinicId).GetAsync() is not { } clinic)
        {
            return Error.NotFound("Clinic");
        }

        var settings = clinic.Settings;
        var type = settings.AppointmentTypes.FirstOrDefault(t => string.Equals(t.Name, query.AppointmentType, StringComparison.OrdinalIgnoreCase));
        if (type is null)
        {
            return Error.Validation("type", "The clinic offers no appointment type with this name.");
        }

        var wanted = query.ProviderIds?.ToHashSet(StringComparer.Ordinal);
        if (wanted is not null && wanted.Any(id => clinic.Providers.All(p => p.Id != id)))
        {
            return Error.Validation("providers", "Names a provider the clinic does not have.");
        }

        var providers = clinic.Providers
            .Where(p => wanted is null || wanted.Contains(p.Id))
            .Where(p => query.Specialty is null || string.Equals(p.Profile.Specialty, query.Specialty.Trim(), StringComparison.OrdinalIgnoreCase))
            .Select(p => (p.Id, Context: new SchedulingContext(settings.TimeZone, settings.Policy, type, p.Profile)))
            .ToList();

        // A next page starts on the local date of the previous page's last slot.
        var from = query.From;
        if (after is { } position && ClinicTimeZones.LocalDate(settings.TimeZone, position.Start) is var resume && resume > from)
        {
            from = resume;
        }

        // Each calendar answers its first slots from the cursor's start on (one more than the page
        // needs: the cursor's own slot may be among them and is skipped by the merge).
        var notBefore = after?.Start ?? DateTimeOffset.MinValue;
        var slots = await ReadCalendarsAsync(clinicId, providers, from, query.To, notBefore, query.Limit + 1);
        var page = ClinicSlotMerge.Earliest(slots, after, query.Limit);

        var cursor = page.Count == query.Limit
            ? AvailabilityCursor.Encode(SlotPosition.Of(page[^1]), AvailabilityCursor.Fingerprint(query))
            : null;
        return new ClinicAvailabilityPage(page, cursor);
    }

    /// <summary>Every provider's first open slots, in batches of <see cref="MaxParallelCalls"/>.</summary>
    private async Task<List<IReadOnlyList<ClinicSlot>>> ReadCalendarsAsync(
        string clinicId, List<(string Id, SchedulingContext Context)> providers, DateOnly from, DateOnly to, DateTimeOffset notBefore, int limit)
    {
        var lists = new List<IReadOnlyList<ClinicSlot>>(providers.Count);
        foreach (var batch in providers.Chunk(MaxParallelCalls))
        {
            var answers = await Task.WhenAll(batch.Select(async provider =>
            {
                var calendar = GrainFactory.GetGrain<IProviderScheduleGrain>(ClinicScopedKey.Format(clinicId, provider.Id));
                var open = await calendar.GetEarliestSlotsAsync(from, to, provider.Context, notBefore, limit);
                return (IReadOnlyList<ClinicSlot>)(open.Value ?? []).Select(s => new ClinicSlot(provider.Id, s.Start, s.End)).ToList();
            }));
            lists.AddRange(answers);
        }

        return lists;
    }
}
