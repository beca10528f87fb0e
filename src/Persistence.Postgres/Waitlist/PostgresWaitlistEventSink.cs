using ClinicCluster.Scheduling;
using Npgsql;
using NpgsqlTypes;

namespace ClinicCluster.Persistence.Postgres.Waitlist;

/// <summary>
/// Puts the waitlist's made offers in the webhook outbox (decision 0052). The offer lives in the
/// waitlist grain's state row, not in a table this statement could share a transaction with, so the
/// grain calls this after its state is written and calls it again for an offer it cannot tell was
/// handed over (after a silo's death): the statement skips an offer the outbox already has, so a
/// repeat is one index probe and no second event.
/// </summary>
public sealed class PostgresWaitlistEventSink(NpgsqlDataSource dataSource) : IWaitlistEventSink
{
    public async Task PublishAsync(WaitlistOfferEvent offerEvent)
    {
        if (WaitlistWebhookEvents.FromOffer(offerEvent) is not { } webhookEvent)
        {
            return;
        }

        await using var command = dataSource.CreateCommand(WaitlistSql.EnqueueOfferOnce);
        command.Parameters.AddWithValue("clinic_id", webhookEvent.ClinicId);
        command.Parameters.AddWithValue("event_type", webhookEvent.Type);
        command.Parameters.AddWithValue("subject_id", webhookEvent.SubjectId);
        command.Parameters.AddWithValue("occurred_at", webhookEvent.OccurredAt.UtcDateTime);
        command.Parameters.AddWithValue("data", NpgsqlDbType.Jsonb, webhookEvent.DataJson);
        await command.ExecuteNonQueryAsync();
    }
}
