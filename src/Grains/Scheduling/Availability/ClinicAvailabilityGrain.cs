using ClinicCluster.Clinics;
using ClinicCluster.Common;
using Orleans.Concurrency;

namespace ClinicCluster.Scheduling;

/// <summary>
/// The clinic-wide earliest-slot search (decisions 0036, 0054, 0059). It checks the query, reads the
/// clinic once and builds each chosen provider's scheduling context from it, then asks the clinic's
/// replica of the calendars (<see cref="ClinicCalendarReplicaGrain"/>) for the page: one call, answered
/// in one turn from the busy time the calendars published, with the calendars' own slot rule. The
/// calendars publish before their calls return, so a hold or booking acknowledged to a client is
/// already out of the search; a slot taken in between still gets 409 at booking, never a double
/// booking. Stateless, so every silo validates and reads the clinic; the order and the cursor are
/// <see cref="ClinicSlotMerge"/> and <see cref="AvailabilityCursor"/>.
/// </summary>
[StatelessWorker]
public sealed class ClinicAvailabilityGrain : Grain, IClinicAvailabilityGrain
{
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
            .Select(p => new ReplicaProvider(p.Id, new SchedulingContext(settings.TimeZone, settings.Policy, type, p.Profile)))
            .ToList();

        // A next page starts on the local date of the previous page's last slot.
        var from = query.From;
        if (after is { } position && ClinicTimeZones.LocalDate(settings.TimeZone, position.Start) is var resume && resume > from)
        {
            from = resume;
        }

        // Each provider's first slots from the cursor's start on, merged after the cursor's position.
        var search = new ReplicaSearch(providers, from, query.To, after?.Start, after?.ProviderId, query.Limit);
        var page = await GrainFactory.GetGrain<IClinicCalendarReplicaGrain>(clinicId).FindAsync(search);

        var cursor = page.Count == query.Limit
            ? AvailabilityCursor.Encode(SlotPosition.Of(page[^1]), AvailabilityCursor.Fingerprint(query))
            : null;
        return new ClinicAvailabilityPage(page, cursor);
    }
}
