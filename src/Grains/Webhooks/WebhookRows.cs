namespace ClinicCluster.Webhooks;

/// <summary>A subscription as stored, secrets included (they never leave the silo after creation).</summary>
[GenerateSerializer, Immutable, Alias("cc.WebhookSubscriptionRow")]
public sealed record WebhookSubscriptionRow(
    [property: Id(0)] string ClinicId,
    [property: Id(1)] string Id,
    [property: Id(2)] string Url,
    [property: Id(3)] IReadOnlyList<string> EventTypes,
    [property: Id(4)] IReadOnlyList<string> Secrets,
    [property: Id(5)] DateTimeOffset? PreviousSecretUntil,
    [property: Id(6)] DateTimeOffset CreatedAt)
{
    /// <summary>The secrets that sign at <paramref name="now"/>: the newest, and the previous one during the overlap.</summary>
    public IReadOnlyList<string> SigningSecrets(DateTimeOffset now) =>
        Secrets.Count > 1 && PreviousSecretUntil is { } until && now < until ? Secrets : [Secrets[0]];

    public WebhookSubscription ToSubscription(DateTimeOffset now) =>
        new(Id, Url, EventTypes, CreatedAt, SigningSecrets(now).Count, SigningSecrets(now).Count > 1 ? PreviousSecretUntil : null);

    // The record's generated ToString would print the secrets into any log or exception message
    // that formats a row (decision 0053): this one names how many there are, never what they are.
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append("ClinicId = ").Append(ClinicId).Append(", Id = ").Append(Id).Append(", Url = ").Append(Url)
            .Append(", EventTypes = [").Append(string.Join(", ", EventTypes)).Append("], Secrets = ").Append(Secrets.Count)
            .Append(" (redacted), PreviousSecretUntil = ").Append(PreviousSecretUntil).Append(", CreatedAt = ").Append(CreatedAt);
        return true;
    }
}

/// <summary>One queued delivery of one event to one subscription.</summary>
[GenerateSerializer, Immutable, Alias("cc.WebhookOutboxEntry")]
public sealed record WebhookOutboxEntry(
    [property: Id(0)] long EventId,
    [property: Id(1)] string EventType,
    [property: Id(2)] string SubjectId,
    [property: Id(3)] DateTimeOffset OccurredAt,
    [property: Id(4)] string DataJson,
    [property: Id(5)] int Attempts,
    [property: Id(6)] DateTimeOffset CreatedAt);
