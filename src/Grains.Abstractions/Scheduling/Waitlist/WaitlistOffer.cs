using System.Text.Json.Serialization;

namespace ClinicCluster.Scheduling;

/// <summary>
/// A freed slot offered to one waitlist entry, held for its patient until <see cref="ExpiresAt"/>
/// (<see cref="HoldId"/> is the checkout hold; null while the offer is being placed).
/// </summary>
[GenerateSerializer, Immutable, Alias("cc.WaitlistOffer")]
public sealed record WaitlistOffer(
    [property: Id(0)] string Id,
    [property: Id(1)] string EntryId,
    [property: Id(2)] string PatientId,
    [property: Id(3)] string ProviderId,
    [property: Id(4)] string AppointmentType,
    [property: Id(5)] DateTimeOffset Start,
    [property: Id(6)] DateTimeOffset End,
    [property: Id(7)] DateTimeOffset ExpiresAt,
    [property: Id(8)] WaitlistOfferStatus Status,
    [property: Id(9)] string? HoldId = null,
    [property: Id(10)] string? AppointmentId = null,
    [property: Id(11)] DateTimeOffset? CreatedAt = null)
{
    /// <summary>True while the patient may still accept it.</summary>
    [JsonIgnore]
    public bool IsOpen => Status is WaitlistOfferStatus.Placing or WaitlistOfferStatus.Offered;
}

/// <summary>Where an offer stands.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<WaitlistOfferStatus>))]
public enum WaitlistOfferStatus
{
    /// <summary>Recorded, its hold not yet confirmed (a silo died here: the offer is placed again or expires).</summary>
    [JsonStringEnumMemberName("placing")] Placing = 0,
    [JsonStringEnumMemberName("offered")] Offered = 1,
    [JsonStringEnumMemberName("accepted")] Accepted = 2,
    [JsonStringEnumMemberName("declined")] Declined = 3,
    [JsonStringEnumMemberName("expired")] Expired = 4,

    /// <summary>The slot was taken before the patient accepted (the hold was lost with its silo).</summary>
    [JsonStringEnumMemberName("lost")] Lost = 5,
}
