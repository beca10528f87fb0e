namespace ClinicCluster.Scheduling;

/// <summary>
/// Receives every waitlist offer event after the waitlist's state holding it was written. The
/// seam for events out (webhooks): register an implementation in the silo's services; every
/// registered sink gets every event. A made offer's event comes at least once: again after a silo
/// died before the grain knew it was handed over, or after a sink threw (decision 0052), so a sink
/// must take a repeat of <see cref="WaitlistOfferEvent.OfferId"/> and kind calmly. The other kinds
/// come at most once (a silo dying between the write and the call loses the call, not the offer).
/// </summary>
public interface IWaitlistEventSink
{
    Task PublishAsync(WaitlistOfferEvent offerEvent);
}
