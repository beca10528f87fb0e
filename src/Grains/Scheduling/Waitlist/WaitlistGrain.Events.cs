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

    private async Task PublishAsync(WaitlistOfferEventKind kind, WaitlistOffer offer)
    {
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
            }
        }
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
