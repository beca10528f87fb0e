using ClinicCluster.Clinics;
using ClinicCluster.Common;
using ClinicCluster.Patients;
using Microsoft.Extensions.Logging;

namespace ClinicCluster.Scheduling;

/// <summary>
/// A clinic's waitlist (decision 0045). It orchestrates: who fits a freed slot and in what order is
/// <see cref="WaitlistRules"/>; an offer is a checkout hold in the provider's calendar (decision
/// 0036) plus an event. One activation per clinic takes the freed slots one at a time, so a slot
/// is offered to one entry at a time; the offer is written to the grain's state before its hold is
/// placed, and a reminder (registered while offers are open) places it again or expires it after
/// a silo's death. Accepting books an appointment whose id is derived from the offer, so a
/// retried or repeated accept replays instead of booking twice. Offers are in <c>WaitlistGrain.Offers.cs</c>.
/// </summary>
public sealed partial class WaitlistGrain(
    [PersistentState("waitlist", StorageNames.Scheduling)] IPersistentState<WaitlistState> state,
    TimeProvider clock,
    IEnumerable<IWaitlistEventSink> sinks,
    ILogger<WaitlistGrain> logger) : Grain, IWaitlistGrain, IRemindable
{
    private string ClinicId => this.GetPrimaryKeyString();

    private List<WaitlistEntry> Entries => state.State.Entries;

    private List<WaitlistOffer> Offers => state.State.Offers;

    public async Task<Result<WaitlistEntry>> JoinAsync(JoinWaitlist request)
    {
        if (await GrainFactory.GetGrain<IClinicGrain>(ClinicId).GetAsync() is not { } clinic)
        {
            return Error.NotFound("Clinic");
        }

        var now = clock.GetUtcNow();
        if (WaitlistRules.Validate(request, ClinicTimeZones.LocalDate(clinic.Settings.TimeZone, now)) is { } invalid)
        {
            return invalid;
        }

        if (!clinic.Settings.AppointmentTypes.Any(t => t.Name == request.AppointmentType))
        {
            return Error.Validation("appointmentType", "Must be one of the clinic's visit types.");
        }

        if (request.ProviderId is { } providerId && !clinic.Providers.Any(p => p.Id == providerId))
        {
            return Error.NotFound("Provider");
        }

        if (!await GrainFactory.GetGrain<IPatientGrain>(ClinicScopedKey.Format(ClinicId, request.PatientId)).ExistsAsync())
        {
            return Error.NotFound("Patient");
        }

        if (Entries.Count >= WaitlistLimits.MaxEntries)
        {
            return Error.Conflict("waitlist-full", $"The clinic's waitlist holds at most {WaitlistLimits.MaxEntries} entries.");
        }

        var entry = new WaitlistEntry(Identifiers.New("wle"), request.PatientId, request.AppointmentType, request.ProviderId, request.From,
            request.To, request.MinimumNoticeMinutes ?? 0, request.Priority ?? 0, state.State.NextSequence++, now);
        Entries.Add(entry);
        await state.WriteStateAsync();
        return entry;
    }

    public async Task<WaitlistView> ListAsync()
    {
        await ProcessDueAsync();
        return new WaitlistView(WaitlistRules.InOfferOrder(Entries).ToList(), Offers.AsEnumerable().Reverse().ToList());
    }

    public async Task<Result<WaitlistEntry>> RemoveAsync(string entryId)
    {
        if (Entries.Find(e => e.Id == entryId) is not { } entry)
        {
            return Error.NotFound("Waitlist entry");
        }

        if (entry.OfferId is { } offerId && Offers.Find(o => o.Id == offerId) is { IsOpen: true } offer)
        {
            await CloseAsync(offer, WaitlistOfferStatus.Declined, releaseHold: true);
        }

        Entries.RemoveAll(e => e.Id == entryId);
        await state.WriteStateAsync();
        return entry;
    }

    public async Task<Result<WaitlistOffer>> AcceptAsync(string offerId)
    {
        await ProcessDueAsync();
        if (Offers.Find(o => o.Id == offerId) is not { } offer)
        {
            return Error.NotFound("Offer");
        }

        if (offer.Status == WaitlistOfferStatus.Accepted)
        {
            return offer;
        }

        if (offer.Status != WaitlistOfferStatus.Offered)
        {
            return Error.Conflict("offer-closed", "The offer is no longer open: it was declined, expired or lost.");
        }

        var booked = await BookAsync(offer);
        if (!booked.IsSuccess)
        {
            await CloseAsync(offer, WaitlistOfferStatus.Lost, releaseHold: true);
            await state.WriteStateAsync();
            return Error.Conflict("offer-lost", $"The offered slot could not be booked ({booked.Error!.Code}).");
        }

        var accepted = Replace(offer with { Status = WaitlistOfferStatus.Accepted, AppointmentId = booked.Value!.Id });
        Entries.RemoveAll(e => e.Id == offer.EntryId);
        await state.WriteStateAsync();
        await PublishAsync(WaitlistOfferEventKind.Accepted, accepted);
        return accepted;
    }

    public async Task<Result<WaitlistOffer>> DeclineAsync(string offerId)
    {
        await ProcessDueAsync();
        if (Offers.Find(o => o.Id == offerId) is not { } offer)
        {
            return Error.NotFound("Offer");
        }

        if (!offer.IsOpen)
        {
            return Error.Conflict("offer-closed", "The offer is no longer open: it was accepted, declined, expired or lost.");
        }

        var declined = await CloseAsync(offer, WaitlistOfferStatus.Declined, releaseHold: true);
        await state.WriteStateAsync();
        await OfferAsync(WaitlistRules.SlotOf(declined));
        return declined;
    }

    /// <summary>
    /// Books through the offer's hold. A hold lost with its calendar's silo (decision 0036) is not
    /// the patient's fault: the booking is tried once more without it, and the ledger decides.
    /// </summary>
    private async Task<Result<Appointment>> BookAsync(WaitlistOffer offer)
    {
        var appointmentId = WaitlistRules.AppointmentIdOf(ClinicId, offer.Id);
        var appointment = GrainFactory.GetGrain<IAppointmentGrain>(ClinicScopedKey.Format(ClinicId, appointmentId));
        var request = new BookAppointment(offer.PatientId, offer.ProviderId, offer.AppointmentType, offer.Start, null, offer.HoldId);
        var result = await appointment.BookAsync(request, appointmentId);
        return result.Error?.Code == HoldRules.HoldNotFound.Code
            ? await appointment.BookAsync(request with { HoldId = null }, appointmentId)
            : result;
    }

    private WaitlistOffer Replace(WaitlistOffer offer)
    {
        Offers[Offers.FindIndex(o => o.Id == offer.Id)] = offer;
        return offer;
    }

    private void SetEntryOffer(string entryId, string? offerId)
    {
        var index = Entries.FindIndex(e => e.Id == entryId);
        if (index >= 0)
        {
            Entries[index] = Entries[index] with { OfferId = offerId };
        }
    }
}
