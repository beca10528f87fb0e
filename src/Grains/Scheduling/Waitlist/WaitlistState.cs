namespace ClinicCluster.Scheduling;

/// <summary>
/// The persisted state of a clinic's waitlist grain: waiting entries, offers (open ones and the
/// last closed ones) and the next arrival number. An offer is written here before its hold is
/// placed, so a silo that dies in between leaves an offer to place again or expire.
/// <see cref="Unannounced"/> names the offers whose "made" event may not have reached the sinks
/// yet (decision 0052): written with the offer, dropped in memory once handed over, so a silo that
/// dies in between leaves the event to hand over again.
/// </summary>
[GenerateSerializer, Alias("cc.WaitlistState")]
public sealed class WaitlistState
{
    [Id(0)]
    public List<WaitlistEntry> Entries { get; set; } = [];

    [Id(1)]
    public List<WaitlistOffer> Offers { get; set; } = [];

    [Id(2)]
    public long NextSequence { get; set; }

    [Id(3)]
    public List<string> Unannounced { get; set; } = [];
}
