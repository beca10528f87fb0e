using System.Globalization;
using System.Text.Json;

namespace ClinicCluster.Webhooks;

/// <summary>
/// The request body of a delivery (docs/api.md "Webhooks"): the event's id, type, clinic, time and
/// its data (ids and times only). Built from the outbox row, so every attempt sends the same bytes.
/// </summary>
public static class WebhookPayload
{
    public static string EventId(long eventId) => "evt-" + eventId.ToString(CultureInfo.InvariantCulture);

    public static byte[] Body(string clinicId, WebhookOutboxEntry entry)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("id", EventId(entry.EventId));
            json.WriteString("type", entry.EventType);
            json.WriteString("clinicId", clinicId);
            json.WriteString("occurredAt", WebhookEvents.Instant(entry.OccurredAt));
            json.WritePropertyName("data");
            using (var data = JsonDocument.Parse(entry.DataJson))
            {
                data.RootElement.WriteTo(json);
            }

            json.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
