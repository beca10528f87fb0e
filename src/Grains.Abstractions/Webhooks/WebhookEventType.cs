namespace ClinicCluster.Webhooks;

/// <summary>
/// What a webhook subscription can ask for. Adding a type: a member here, its wire name in
/// <see cref="WebhookEventTypes"/>, and a writer that calls the outbox hook in the transaction of
/// its change (<c>webhooks.enqueue</c> in PostgreSQL, <c>IWebhookOutbox</c> in the embedded mode;
/// decision 0046). The waitlist's offers are declared already so that subscribers can ask for them.
/// </summary>
public enum WebhookEventType
{
    AppointmentBooked,
    AppointmentRescheduled,
    AppointmentCancelled,
    AppointmentCheckedIn,
    AppointmentNoShow,

    /// <summary>A freed slot was offered to a waitlist entry (written by the waitlist, issue 24 item 3).</summary>
    WaitlistOffered,
}
