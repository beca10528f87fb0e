namespace ClinicCluster.Persistence.Postgres.Webhooks;

/// <summary>
/// The dispatcher's and the subscription API's statements over the webhooks schema (migration 0500).
/// The outbox is written only by <c>webhooks.enqueue</c>, inside the transaction of a change.
/// </summary>
internal static class WebhookSql
{
    public const string SubscriptionColumns = "clinic_id, subscription_id, url, event_types, secrets, previous_secret_until, created_at";

    // The count and the insert in one statement: two concurrent creations can both pass the limit
    // by one at worst, which the limit tolerates (it is a guard against runaway scripts).
    public const string AddSubscription = """
        INSERT INTO webhooks.subscription (clinic_id, subscription_id, url, event_types, secrets, previous_secret_until, created_at)
        SELECT @clinic_id, @subscription_id, @url, @event_types, @secrets, NULL, @created_at
        WHERE (SELECT count(*) FROM webhooks.subscription WHERE clinic_id = @clinic_id AND deleted_at IS NULL) < @limit
        """;

    public const string Subscriptions = $"""
        SELECT {SubscriptionColumns} FROM webhooks.subscription
        WHERE clinic_id = @clinic_id AND deleted_at IS NULL ORDER BY created_at, subscription_id
        """;

    public const string Subscription = $"""
        SELECT {SubscriptionColumns} FROM webhooks.subscription
        WHERE clinic_id = @clinic_id AND subscription_id = @subscription_id AND deleted_at IS NULL
        """;

    // The queue goes with the subscription (ON DELETE CASCADE): nobody will deliver it.
    public const string DeleteSubscription = """
        DELETE FROM webhooks.subscription WHERE clinic_id = @clinic_id AND subscription_id = @subscription_id
        """;

    public const string SetSecrets = """
        UPDATE webhooks.subscription SET secrets = @secrets, previous_secret_until = @previous_until
        WHERE clinic_id = @clinic_id AND subscription_id = @subscription_id AND deleted_at IS NULL
        """;

    // The head of each subject's pending queue, if due: an earlier pending event of the same
    // subject (even one waiting for its retry) holds the later ones back.
    public const string Due = """
        SELECT o.event_id, o.event_type, o.subject_id, o.occurred_at, o.data::text, o.attempts, o.created_at
        FROM webhooks.outbox o
        WHERE o.clinic_id = @clinic_id AND o.subscription_id = @subscription_id AND o.state = 'pending'
          AND o.next_attempt_at <= @now
          AND NOT EXISTS (SELECT 1 FROM webhooks.outbox e
                          WHERE e.clinic_id = o.clinic_id AND e.subscription_id = o.subscription_id
                            AND e.subject_id = o.subject_id AND e.state = 'pending' AND e.event_id < o.event_id)
        ORDER BY o.event_id
        LIMIT @limit
        """;

    public const string Delivered = """
        UPDATE webhooks.outbox SET state = 'delivered', attempts = attempts + 1, finished_at = @at, last_error = NULL
        WHERE clinic_id = @clinic_id AND subscription_id = @subscription_id AND event_id = @event_id AND state = 'pending'
        """;

    public const string Failed = """
        UPDATE webhooks.outbox SET attempts = attempts + 1, next_attempt_at = @at, last_error = left(@error, 200)
        WHERE clinic_id = @clinic_id AND subscription_id = @subscription_id AND event_id = @event_id AND state = 'pending'
        """;

    public const string Dead = """
        UPDATE webhooks.outbox SET state = 'dead', attempts = attempts + 1, finished_at = @at, last_error = left(@error, 200)
        WHERE clinic_id = @clinic_id AND subscription_id = @subscription_id AND event_id = @event_id AND state = 'pending'
        """;

    // Retention (decision 0053): the oldest expired delivered rows of one subscription, a bounded
    // batch per statement (index outbox_delivered_by_finish, migration 0560).
    public const string PurgeDelivered = """
        DELETE FROM webhooks.outbox
        WHERE clinic_id = @clinic_id AND subscription_id = @subscription_id AND state = 'delivered'
          AND event_id IN (SELECT event_id FROM webhooks.outbox
                           WHERE clinic_id = @clinic_id AND subscription_id = @subscription_id
                             AND state = 'delivered' AND finished_at < @before
                           ORDER BY finished_at LIMIT @limit)
        """;

    // A replayed event starts a new dead-letter clock (created_at), so it gets the full retry window again.
    public const string Replay = """
        UPDATE webhooks.outbox SET state = 'pending', attempts = 0, next_attempt_at = @now, created_at = @now, finished_at = NULL
        WHERE clinic_id = @clinic_id AND subscription_id = @subscription_id AND state = 'dead'
        """;
}
