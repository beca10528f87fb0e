namespace ClinicCluster.Persistence.Postgres.Waitlist;

/// <summary>The waitlist's statement over the webhook outbox (migrations 0500 and 0550).</summary>
internal static class WaitlistSql
{
    // Once per offer: a replay after a silo's death finds the rows of the first call (index
    // outbox_waitlist_offered) and enqueues nothing. An offer no subscription wanted has no rows,
    // so a replay asks the subscriptions again, which is what a first call would have done.
    public const string EnqueueOfferOnce = """
        SELECT webhooks.enqueue(@clinic_id, @event_type, @subject_id, @occurred_at, @data)
        WHERE NOT EXISTS (SELECT 1 FROM webhooks.outbox
                          WHERE clinic_id = @clinic_id AND subject_id = @subject_id AND event_type = @event_type)
        """;
}
