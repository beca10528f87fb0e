using ClinicCluster.Clinics;
using ClinicCluster.Common;

namespace ClinicCluster.Scheduling;

/// <summary>
/// Offers: made for a freed slot, placed as a checkout hold, closed by accept, decline, expiry or
/// loss; a closed one passes its slot to the next entry that fits. The reminder exists only while
/// an offer is open, and brings the grain back after its silo died.
/// </summary>
public sealed partial class WaitlistGrain
{
    private const string ReminderName = "waitlist-offers";

    /// <summary>Entries tried for one slot before giving up (each failed try is an entry whose patient is gone).</summary>
    private const int MaxTriesPerSlot = 10;

    private static readonly TimeSpan ReminderPeriod = TimeSpan.FromMinutes(1);

    private string? _timeZone;

    public async Task<WaitlistOffer?> SlotFreedAsync(FreedSlot slot)
    {
        await ProcessDueAsync();
        return await OfferAsync(slot);
    }

    public Task ReceiveReminder(string reminderName, TickStatus status) => ProcessDueAsync();

    /// <summary>
    /// Offers <paramref name="slot"/> to the first entry it fits that was not offered it before.
    /// Nothing when an open offer already covers the slot: one offer per freed slot.
    /// </summary>
    private async Task<WaitlistOffer?> OfferAsync(FreedSlot slot)
    {
        var now = clock.GetUtcNow();
        if (Offers.Any(o => o.IsOpen && WaitlistRules.SameSlot(o, slot)) || await TimeZoneAsync() is not { } zone)
        {
            return null;
        }

        var localDate = ClinicTimeZones.LocalDate(zone, slot.Start);
        var excluded = Offers.Where(o => WaitlistRules.SameSlot(o, slot)).Select(o => o.EntryId).ToHashSet(StringComparer.Ordinal);
        for (var tries = 0; tries < MaxTriesPerSlot; tries++)
        {
            if (WaitlistRules.NextFor(Entries, slot, localDate, now, excluded) is not { } entry)
            {
                return null;
            }

            var offer = new WaitlistOffer(Identifiers.New("wof"), entry.Id, entry.PatientId, slot.ProviderId, slot.AppointmentType,
                ClinicTimeZones.ToZoned(zone, slot.Start), ClinicTimeZones.ToZoned(zone, slot.End), now.AddMinutes(WaitlistLimits.OfferMinutes),
                WaitlistOfferStatus.Placing, CreatedAt: now);
            Offers.Add(offer);
            SetEntryOffer(entry.Id, offer.Id);
            await state.WriteStateAsync();
            await this.RegisterOrUpdateReminder(ReminderName, ReminderPeriod, ReminderPeriod);

            var placed = await PlaceAsync(offer);
            if (placed.IsSuccess)
            {
                return placed.Value;
            }

            // A patient who is gone forfeits the slot to the next entry; any other refusal means
            // the slot itself is not free (taken, held, or now inside the booking notice).
            excluded.Add(entry.Id);
            if (placed.Error!.Kind != ErrorKind.NotFound)
            {
                return null;
            }
        }

        return null;
    }

    /// <summary>Places the hold of an offer being placed; on refusal the offer is dropped (it never reached the patient).</summary>
    private async Task<Result<WaitlistOffer>> PlaceAsync(WaitlistOffer offer)
    {
        var calendar = GrainFactory.GetGrain<IProviderScheduleGrain>(ClinicScopedKey.Format(ClinicId, offer.ProviderId));
        var minutes = (int)Math.Ceiling((offer.ExpiresAt - clock.GetUtcNow()).TotalMinutes);
        var hold = await calendar.PlaceHoldAsync(new PlaceHold(offer.PatientId, offer.ProviderId, offer.AppointmentType, offer.Start,
            Math.Clamp(minutes, 1, HoldLimits.MaxMinutes)));
        if (hold.Value is not { } placed)
        {
            Offers.RemoveAll(o => o.Id == offer.Id);
            SetEntryOffer(offer.EntryId, null);
            await state.WriteStateAsync();
            return hold.Error!;
        }

        var offered = Replace(offer with { Status = WaitlistOfferStatus.Offered, HoldId = placed.Id, ExpiresAt = placed.ExpiresAt });
        state.State.Unannounced.Add(offered.Id);
        await state.WriteStateAsync();
        await AnnounceAsync(offered);
        return offered;
    }

    /// <summary>
    /// Announces what a dead silo or a failed sink left unannounced, expires the open offers past
    /// their time and places again the ones a dead silo left half made; each expired offer's slot
    /// goes to the next entry. Stops the reminder once none is open and all are announced.
    /// </summary>
    private async Task ProcessDueAsync()
    {
        await AnnounceLeftOverAsync();
        var now = clock.GetUtcNow();
        foreach (var offer in Offers.Where(o => o.IsOpen).ToList())
        {
            if (offer.ExpiresAt <= now)
            {
                var expired = await CloseAsync(offer, WaitlistOfferStatus.Expired, releaseHold: false);
                await state.WriteStateAsync();
                await OfferAsync(WaitlistRules.SlotOf(expired));
            }
            else if (offer.Status == WaitlistOfferStatus.Placing)
            {
                await PlaceAsync(offer);
            }
        }

        if (!Offers.Any(o => o.IsOpen) && state.State.Unannounced.Count == 0 && await this.GetReminder(ReminderName) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    /// <summary>Closes an open offer (the caller writes the state); its entry waits again unless it accepted.</summary>
    private async Task<WaitlistOffer> CloseAsync(WaitlistOffer offer, WaitlistOfferStatus status, bool releaseHold)
    {
        if (releaseHold && offer.HoldId is { } holdId)
        {
            await GrainFactory.GetGrain<IProviderScheduleGrain>(ClinicScopedKey.Format(ClinicId, offer.ProviderId)).ReleaseHoldAsync(holdId);
        }

        var closed = Replace(offer with { Status = status });
        SetEntryOffer(offer.EntryId, null);
        var keep = Offers.Count - WaitlistLimits.KeptOffers;
        if (keep > 0)
        {
            // The oldest closed offers go first; open ones always stay.
            var drop = Offers.Where(o => !o.IsOpen && o.Id != closed.Id).Take(keep).Select(o => o.Id).ToHashSet(StringComparer.Ordinal);
            Offers.RemoveAll(o => drop.Contains(o.Id));
        }

        if (offer.Status == WaitlistOfferStatus.Offered)
        {
            await PublishAsync(status switch
            {
                WaitlistOfferStatus.Declined => WaitlistOfferEventKind.Declined,
                WaitlistOfferStatus.Expired => WaitlistOfferEventKind.Expired,
                _ => WaitlistOfferEventKind.Lost,
            }, closed);
        }

        return closed;
    }

    private async Task<string?> TimeZoneAsync() =>
        _timeZone ??= (await GrainFactory.GetGrain<IClinicGrain>(ClinicId).GetAsync())?.Settings.TimeZone;
}
