using ClinicCluster.Clinics;
using ClinicCluster.Common;
using Orleans.Concurrency;

namespace ClinicCluster.Scheduling;

/// <summary>
/// The clinic-wide earliest-slot search (decision 0036). It reads the clinic once, builds each
/// chosen provider's scheduling context from it, and asks the providers' calendars for their open
/// slots window by window (<see cref="ClinicAvailabilityRules.Windows"/>), at most
/// <see cref="MaxParallelCalls"/> at a time; it stops after the first window that fills the page.
/// The calendars answer from memory, so the answer is what a booking would find (a slot taken in
/// between gets 409 at booking, never a double booking). It only orchestrates: the order and the
/// cursor are <see cref="ClinicSlotMerge"/> and <see cref="AvailabilityCursor"/>.
/// </summary>
[StatelessWorker]
public sealed class ClinicAvailabilityGrain : Grain, IClinicAvailabilityGrain
{
    /// <summary>Calendar calls in flight per search: enough to hide latency, few enough to leave room for bookings.</summary>
    public const int MaxParallelCalls = 16;

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

        var page = new List<ClinicSlot>();
        foreach (var (windowFrom, windowTo) in ClinicAvailabilityRules.Windows(from, query.To))
        {
            if (page.Count >= query.Limit || providers.Count == 0)
            {
                break;
            }

            var slots = await ReadWindowAsync(clinicId, providers, windowFrom, windowTo);
            page.AddRange(ClinicSlotMerge.Earliest(slots, after, query.Limit - page.Count));
        }

        var cursor = page.Count == query.Limit
            ? AvailabilityCursor.Encode(SlotPosition.Of(page[^1]), AvailabilityCursor.Fingerprint(query))
            : null;
        return new ClinicAvailabilityPage(page, cursor);
    }

    /// <summary>Every provider's open slots in one window, in batches of <see cref="MaxParallelCalls"/>.</summary>
    private async Task<List<IReadOnlyList<ClinicSlot>>> ReadWindowAsync(
        string clinicId, List<(string Id, SchedulingContext Context)> providers, DateOnly from, DateOnly to)
    {
        var lists = new List<IReadOnlyList<ClinicSlot>>(providers.Count);
        foreach (var batch in providers.Chunk(MaxParallelCalls))
        {
            var answers = await Task.WhenAll(batch.Select(async provider =>
            {
                var calendar = GrainFactory.GetGrain<IProviderScheduleGrain>(ClinicScopedKey.Format(clinicId, provider.Id));
                var open = await calendar.GetAvailabilityAsync(from, to, provider.Context);
                return (IReadOnlyList<ClinicSlot>)(open.Value ?? []).Select(s => new ClinicSlot(provider.Id, s.Start, s.End)).ToList();
            }));
            lists.AddRange(answers);
        }

        return lists;
    }
}
