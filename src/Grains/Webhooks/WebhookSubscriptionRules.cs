namespace ClinicCluster.Webhooks;

/// <summary>The rules of a subscription request beside the URL (which <see cref="WebhookUrlGuard"/> judges).</summary>
public static class WebhookSubscriptionRules
{
    public static readonly string EventTypesRule =
        "A non-empty list without repeats of: " + string.Join(", ", WebhookEventTypes.All) + ".";

    /// <summary>The requested event types, in request order, or null if the list breaks <see cref="EventTypesRule"/>.</summary>
    public static IReadOnlyList<string>? EventTypes(IReadOnlyList<string?>? requested)
    {
        if (requested is not { Count: > 0 } || requested.Count > WebhookEventTypes.All.Count)
        {
            return null;
        }

        var types = new List<string>();
        foreach (var name in requested)
        {
            if (WebhookEventTypes.Parse(name) is null || types.Contains(name!, StringComparer.Ordinal))
            {
                return null;
            }

            types.Add(name!);
        }

        return types;
    }
}
