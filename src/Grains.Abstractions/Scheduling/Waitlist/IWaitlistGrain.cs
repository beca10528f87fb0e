using ClinicCluster.Common;

namespace ClinicCluster.Scheduling;

/// <summary>
/// A clinic's waitlist and its offers (decision 0045). Key: the clinic id. One activation per
/// clinic decides every offer in turn, so a freed slot is offered to exactly one entry at a time.
/// </summary>
public interface IWaitlistGrain : Clinics.IClinicKeyedGrain
{
    /// <summary>Adds a patient to the waitlist.</summary>
    Task<Result<WaitlistEntry>> JoinAsync(JoinWaitlist request);

    /// <summary>The waiting entries in offer order and the recent offers.</summary>
    Task<WaitlistView> ListAsync();

    /// <summary>Takes an entry off the waitlist (its open offer, if any, is declined).</summary>
    Task<Result<WaitlistEntry>> RemoveAsync(string entryId);

    /// <summary>Offers a freed slot to the first eligible entry; the offer made, or null when none fits.</summary>
    Task<WaitlistOffer?> SlotFreedAsync(FreedSlot slot);

    /// <summary>Books the offered slot through its hold; the accepted offer names the appointment.</summary>
    Task<Result<WaitlistOffer>> AcceptAsync(string offerId);

    /// <summary>Declines an offer; the slot goes to the next eligible entry.</summary>
    Task<Result<WaitlistOffer>> DeclineAsync(string offerId);
}
