using ClinicCluster.Common;
using Microsoft.Extensions.Logging;

namespace ClinicCluster.Scheduling;

/// <summary>
/// The clinic's replica of its provider calendars' busy time (decision 0059), so that a clinic-wide
/// search is one turn here instead of one call per provider, each waiting its turn on a calendar
/// busy with bookings. The calendars publish every change of their busy set before their call
/// returns (<see cref="ProviderScheduleGrain"/>); the slots are placed by the calendars' own rule
/// (<see cref="OpenSlotSearch"/>) and merged by <see cref="ClinicSlotMerge"/>, so the page is the
/// merge of what the calendars would answer. Memory only: an activation starts empty and asks each
/// provider's calendar once, on its first search, for what no publication has brought yet (today's
/// fan-out, once per activation); a provider it has no current data for (a publication it failed to
/// take) is asked directly in the same way.
/// </summary>
public sealed partial class ClinicCalendarReplicaGrain(TimeProvider clock, IReplicaFaults faults, ILogger<ClinicCalendarReplicaGrain> logger)
    : Grain, IClinicCalendarReplicaGrain
{
    private readonly ReplicaCalendars _calendars = new();

    // Asks in flight, shared by the searches that arrive meanwhile (a fresh activation under load
    // would otherwise ask every calendar once per waiting search).
    private readonly Dictionary<string, Task<CalendarBusyTime>> _asking = new(StringComparer.Ordinal);
    private long _directAsks;

    public async Task<long> PublishAsync(CalendarBusyTime busy)
    {
        try
        {
            await faults.AtPublishAsync(this.GetPrimaryKeyString(), busy.ProviderId);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // What is held may now be older than the calendar: forget it, so that searches ask the
            // calendar directly until it publishes again (it retries, having seen this fail).
            _calendars.Forget(busy.ProviderId);
            LogPublicationRefused(logger, exception);
            throw;
        }

        return _calendars.Apply(busy);
    }

    public async Task<IReadOnlyList<ClinicSlot>> FindAsync(ReplicaSearch search)
    {
        var missing = search.Providers.Where(p => !_calendars.Has(p.ProviderId)).ToList();
        var answered = missing.Count > 0 ? await AskCalendarsAsync(search, missing) : [];

        // From here on nothing is awaited: the page is one turn over what is held now.
        var now = clock.GetUtcNow();
        DateTimeOffset? notBefore = search.AfterStart;
        var after = search.AfterStart is { } start && search.AfterProviderId is { } provider ? new SlotPosition(start, provider) : (SlotPosition?)null;
        var lists = new List<IReadOnlyList<ClinicSlot>>(search.Providers.Count);
        foreach (var (providerId, context) in search.Providers)
        {
            if (answered.TryGetValue(providerId, out var direct))
            {
                lists.Add(direct);
                continue;
            }

            // One more than the page: the cursor's own slot may be among them and is skipped by the merge.
            var busy = _calendars.TimelineAt(providerId, now) ?? new BusyTimeline([]);
            var slots = OpenSlotSearch.Find(context, search.From, search.To, busy, now, notBefore, search.Limit + 1);
            lists.Add(slots.Select(s => new ClinicSlot(providerId, s.Start, s.End)).ToList());
        }

        return ClinicSlotMerge.Earliest(lists, after, search.Limit);
    }

    public Task<ReplicaStatus> GetStatusAsync() => Task.FromResult(new ReplicaStatus(_calendars.Versions, _directAsks));

    /// <summary>
    /// Asks the calendars of <paramref name="providers"/> for their busy time, all at once. A calendar
    /// that cannot give it (a silo of the previous release during a rolling update has no such method)
    /// is asked for its first slots instead, as every search used to ask every calendar; those answers
    /// are returned for this search only. A calendar that answers neither fails the search, as before:
    /// leaving its provider out would show later slots as the earliest.
    /// </summary>
    private async Task<Dictionary<string, IReadOnlyList<ClinicSlot>>> AskCalendarsAsync(ReplicaSearch search, List<ReplicaProvider> providers)
    {
        var clinicId = this.GetPrimaryKeyString();
        var answers = await Task.WhenAll(providers.Select(async provider =>
        {
            var calendar = GrainFactory.GetGrain<IProviderScheduleGrain>(ClinicScopedKey.Format(clinicId, provider.ProviderId));
            if (!_asking.TryGetValue(provider.ProviderId, out var asking))
            {
                _directAsks++;
                _asking[provider.ProviderId] = asking = calendar.GetBusyTimeAsync();
            }

            try
            {
                return (provider.ProviderId, Busy: (CalendarBusyTime?)await asking, Slots: (IReadOnlyList<ClinicSlot>?)null);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                LogBusyTimeUnanswered(logger, exception);
                var open = await calendar.GetEarliestSlotsAsync(search.From, search.To, provider.Context, search.AfterStart ?? DateTimeOffset.MinValue, search.Limit + 1);
                return (provider.ProviderId, Busy: (CalendarBusyTime?)null,
                    Slots: (IReadOnlyList<ClinicSlot>?)(open.Value ?? []).Select(s => new ClinicSlot(provider.ProviderId, s.Start, s.End)).ToList());
            }
        }));

        foreach (var provider in providers)
        {
            if (_asking.TryGetValue(provider.ProviderId, out var asked) && asked.IsCompleted)
            {
                _asking.Remove(provider.ProviderId);
            }
        }

        // Versions order these answers against publications that arrived meanwhile.
        foreach (var busy in answers.Select(a => a.Busy).OfType<CalendarBusyTime>())
        {
            _calendars.Apply(busy);
        }

        return answers.Where(a => a.Slots is not null).ToDictionary(a => a.ProviderId, a => a.Slots!, StringComparer.Ordinal);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The clinic's calendar replica could not take a publication; the provider is asked directly until it publishes again")]
    private static partial void LogPublicationRefused(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A calendar did not give the clinic's calendar replica its busy time; its first slots were asked instead")]
    private static partial void LogBusyTimeUnanswered(ILogger logger, Exception exception);
}
