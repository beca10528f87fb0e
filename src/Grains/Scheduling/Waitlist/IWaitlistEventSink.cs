namespace ClinicCluster.Scheduling;

/// <summary>
/// Receives every waitlist offer event after the waitlist's state holding it was written. The
/// seam for events out (webhooks): register an implementation in the silo's services; every
/// registered sink gets every event, at least once (a silo dying between the write and the call
/// loses the call, not the offer: the state still shows it).
/// </summary>
public interface IWaitlistEventSink
{
    Task PublishAsync(WaitlistOfferEvent offerEvent);
}
