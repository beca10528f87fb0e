namespace ClinicCluster.Scheduling;

/// <summary>What the front desk sees: the waiting entries in offer order and the recent offers, newest first.</summary>
[GenerateSerializer, Immutable, Alias("cc.WaitlistView")]
public sealed record WaitlistView(
    [property: Id(0)] IReadOnlyList<WaitlistEntry> Entries,
    [property: Id(1)] IReadOnlyList<WaitlistOffer> Offers);
