using System.Globalization;
using System.Text.Json;
using ClinicCluster.Scheduling;

namespace ClinicCluster.Webhooks;

/// <summary>
/// Which ledger changes are events: the rule of the PostgreSQL trigger <c>webhooks.ledger_changed</c>
/// (migration 0500), stated again for the embedded ledger. Keep the two alike.
/// </summary>
public static class WebhookEvents
{
    /// <summary>The event a write from <paramref name="before"/> (null: an insert) to <paramref name="after"/> raises, or null.</summary>
    public static WebhookEvent? FromLedger(LedgerRow? before, LedgerRow after)
    {
        WebhookEventType? type = null;
        if (before is null)
        {
            type = after.Status == AppointmentStatus.Booked ? WebhookEventType.AppointmentBooked : null;
        }
        else if (after.Version == before.Version)
        {
            return null;
        }
        else if (after.Status != before.Status)
        {
            type = after.Status switch
            {
                AppointmentStatus.Cancelled => WebhookEventType.AppointmentCancelled,
                AppointmentStatus.CheckedIn => WebhookEventType.AppointmentCheckedIn,
                AppointmentStatus.NoShow => WebhookEventType.AppointmentNoShow,
                _ => null,
            };
        }
        else if (after.Start != before.Start)
        {
            type = WebhookEventType.AppointmentRescheduled;
        }

        return type is { } t
            ? new WebhookEvent(after.ClinicId, WebhookEventTypes.Name(t), after.AppointmentId, after.UpdatedAt, LedgerData(after))
            : null;
    }

    /// <summary>An instant as the trigger writes it: UTC, whole seconds, "Z".</summary>
    public static string Instant(DateTimeOffset at) =>
        at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    // Ids and times only: no patient id, reason or name (a consumer reads details with its own token).
    private static string LedgerData(LedgerRow row) => JsonSerializer.Serialize(new Dictionary<string, string>
    {
        ["appointmentId"] = row.AppointmentId,
        ["providerId"] = row.ProviderId,
        ["status"] = AppointmentTransitions.Name(row.Status),
        ["start"] = Instant(row.Start),
        ["end"] = Instant(row.End),
    });
}
