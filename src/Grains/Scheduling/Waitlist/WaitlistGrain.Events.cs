using ClinicCluster.Audit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Streams;

namespace ClinicCluster.Scheduling;

/// <summary>
/// Every offer change becomes one <see cref="WaitlistOfferEvent"/> (ids and times, no PHI) for the
/// registered <see cref="IWaitlistEventSink"/>s, and one audit event: an offer discloses a slot to
/// a named patient without an HTTP request to audit it, so the grain audits it itself, on the
/// clinic's audit stream like the API's events.
/// </summary>
public sealed partial class WaitlistGrain
{
    /// <summary>The actor of the offers the waitlist makes on its own.</summary>
    public static readonly AuditActor SystemActor = new("system:waitlist", "system", null, null);

    /// <summary>
    /// Hands a made offer to the audit and the sinks (decision 0052). Its id leaves
    /// <see cref="WaitlistState.Unannounced"/> in memory only when every sink took it; the next state
    /// write (at the latest the one closing the offer) keeps that, and an activation that starts
    /// with the id still listed (the silo died first) announces the offer again: at least once.
    /// </summary>
    private async Task AnnounceAsync(WaitlistOffer offer)
    {
        if (await PublishAsync(WaitlistOfferEventKind.Made, offer))
        {
            state.State.Unannounced.Remove(offer.Id);
        }
    }

    /// <summary>Announces again the offers left unannounced; an offer already trimmed from the state is dropped.</summary>
    private async Task AnnounceLeftOverAsync()
    {
        foreach (var offerId in state.State.Unannounced.ToList())
        {
            if (Offers.Find(o => o.Id == offerId) is { } offer)
            {
                await AnnounceAsync(offer);
            }
            else
            {
                state.State.Unannounced.Remove(offerId);
            }
        }
    }

    /// <summary>Audits the change and hands it to every sink; false when a sink failed.</summary>
    private async Task<bool> PublishAsync(WaitlistOfferEventKind kind, WaitlistOffer offer)
    {
        var delivered = true;
        var now = clock.GetUtcNow();
        var offerEvent = new WaitlistOfferEvent(Guid.NewGuid(), ClinicId, kind, offer.Id, offer.EntryId, offer.ProviderId, offer.Start,
            offer.ExpiresAt, now, offer.AppointmentId);
        await AuditAsync(offerEvent, offer.PatientId);
        foreach (var sink in sinks)
        {
            try
            {
                await sink.PublishAsync(offerEvent);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The offer stands whatever a consumer does; the state keeps it for a later read.
                LogSinkFailed(logger, ClinicId, e.GetType().Name);
                delivered = false;
            }
        }

        return delivered;
    }

    /// <summary>
    /// The audit event of an offer change. A silo without the audit stream provider (the grain
    /// tests' cluster) has nobody to read it, so it is skipped there; every host registers it.
    /// </summary>
    private async Task AuditAsync(WaitlistOfferEvent offerEvent, string patientId)
    {
        if (ServiceProvider.GetKeyedService<IStreamProvider>(AuditStreams.ProviderName) is not { } provider)
        {
            return;
        }

        var action = offerEvent.Kind == WaitlistOfferEventKind.Made ? AuditAction.Create : AuditAction.Update;
        var audit = new AuditEvent(offerEvent.EventId, offerEvent.OccurredAt, ClinicId, action, AuditOutcome.Success, SystemActor, patientId,
            "WaitlistOffer", offerEvent.OfferId, "Waitlist" + offerEvent.Kind, 200, "TREAT", null, null, null);
        await provider.GetStream<AuditEvent>(StreamId.Create(AuditStreams.Namespace, ClinicId)).OnNextAsync(audit);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A waitlist event sink failed in clinic {ClinicId} ({ExceptionType}); the offer stands")]
    private static partial void LogSinkFailed(ILogger logger, string clinicId, string exceptionType);
}
