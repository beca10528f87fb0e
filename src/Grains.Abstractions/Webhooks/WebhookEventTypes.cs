namespace ClinicCluster.Webhooks;

/// <summary>The wire names of <see cref="WebhookEventType"/> (in requests, payloads and the outbox's event_type).</summary>
public static class WebhookEventTypes
{
    private static readonly Dictionary<WebhookEventType, string> Names = new()
    {
        [WebhookEventType.AppointmentBooked] = "appointment.booked",
        [WebhookEventType.AppointmentRescheduled] = "appointment.rescheduled",
        [WebhookEventType.AppointmentCancelled] = "appointment.cancelled",
        [WebhookEventType.AppointmentCheckedIn] = "appointment.checked-in",
        [WebhookEventType.AppointmentNoShow] = "appointment.no-show",
        [WebhookEventType.WaitlistOffered] = "waitlist.offered",
    };

    private static readonly Dictionary<string, WebhookEventType> ByName =
        Names.ToDictionary(p => p.Value, p => p.Key, StringComparer.Ordinal);

    public static IReadOnlyCollection<string> All => Names.Values;

    public static string Name(WebhookEventType type) => Names[type];

    public static WebhookEventType? Parse(string? name) => name is not null && ByName.TryGetValue(name, out var type) ? type : null;
}
