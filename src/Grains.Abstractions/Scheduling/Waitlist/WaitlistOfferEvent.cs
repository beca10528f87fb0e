using System.Text.Json.Serialization;

namespace ClinicCluster.Scheduling;

/// <summary>
/// A change of a waitlist offer, for consumers outside the grain (the audit trail, webhooks): ids
/// and times only, no PHI (a consumer reads the waitlist with its own token for the patient).
/// </summary>
[GenerateSerializer, Immutable, Alias("cc.WaitlistOfferEvent")]
public sealed record WaitlistOfferEvent(
    [property: Id(0)] Guid EventId,
    [property: Id(1)] string ClinicId,
    [property: Id(2)] WaitlistOfferEventKind Kind,
    [property: Id(3)] string OfferId,
    [property: Id(4)] string EntryId,
    [property: Id(5)] string ProviderId,
    [property: Id(6)] DateTimeOffset Start,
    [property: Id(7)] DateTimeOffset ExpiresAt,
    [property: Id(8)] DateTimeOffset OccurredAt,
    [property: Id(9)] string? AppointmentId = null);

/// <summary>What happened to the offer.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<WaitlistOfferEventKind>))]
public enum WaitlistOfferEventKind
{
    [JsonStringEnumMemberName("waitlist.offer.made")] Made = 0,
    [JsonStringEnumMemberName("waitlist.offer.accepted")] Accepted = 1,
    [JsonStringEnumMemberName("waitlist.offer.declined")] Declined = 2,
    [JsonStringEnumMemberName("waitlist.offer.expired")] Expired = 3,
    [JsonStringEnumMemberName("waitlist.offer.lost")] Lost = 4,
}
