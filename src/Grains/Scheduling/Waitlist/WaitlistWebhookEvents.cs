using System.Text.Json;
using ClinicCluster.Webhooks;

namespace ClinicCluster.Scheduling;

/// <summary>
/// Which waitlist offer changes leave the system as webhooks (decision 0052): a made offer is
/// <c>waitlist.offered</c>, subject the offer id; acceptance is already an <c>appointment.booked</c>
/// event from the ledger, and decline, expiry and loss have no event type. Payload: ids and times
/// only, like the ledger's events (no patient id: a consumer reads the waitlist with its own token).
/// </summary>
public static class WaitlistWebhookEvents
{
    public static readonly string OfferedType = WebhookEventTypes.Name(WebhookEventType.WaitlistOffered);

    /// <summary>The webhook event of <paramref name="offerEvent"/>, or null when it is none.</summary>
    public static WebhookEvent? FromOffer(WaitlistOfferEvent offerEvent) =>
        offerEvent.Kind != WaitlistOfferEventKind.Made
            ? null
            : new WebhookEvent(offerEvent.ClinicId, OfferedType, offerEvent.OfferId, offerEvent.OccurredAt, JsonSerializer.Serialize(
                new Dictionary<string, string>
                {
                    ["offerId"] = offerEvent.OfferId,
                    ["entryId"] = offerEvent.EntryId,
                    ["providerId"] = offerEvent.ProviderId,
                    ["start"] = WebhookEvents.Instant(offerEvent.Start),
                    ["expiresAt"] = WebhookEvents.Instant(offerEvent.ExpiresAt),
                }));
}
