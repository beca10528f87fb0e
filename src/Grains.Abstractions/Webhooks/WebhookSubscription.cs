namespace ClinicCluster.Webhooks;

/// <summary>A registered receiver as clients see it: never its secrets, which are shown once.</summary>
[GenerateSerializer, Immutable, Alias("cc.WebhookSubscription")]
public sealed record WebhookSubscription(
    [property: Id(0)] string Id,
    [property: Id(1)] string Url,
    [property: Id(2)] IReadOnlyList<string> EventTypes,
    [property: Id(3)] DateTimeOffset CreatedAt,
    [property: Id(4)] int ActiveSecrets,
    [property: Id(5)] DateTimeOffset? PreviousSecretUntil);

/// <summary>A request to register a receiver.</summary>
[GenerateSerializer, Immutable, Alias("cc.CreateWebhookSubscription")]
public sealed record CreateWebhookSubscription(
    [property: Id(0)] string? Url,
    [property: Id(1)] IReadOnlyList<string?>? EventTypes);

/// <summary>A new subscription or a rotated secret: the secret appears here and nowhere else, ever.</summary>
[GenerateSerializer, Immutable, Alias("cc.WebhookSecretIssued")]
public sealed record WebhookSecretIssued(
    [property: Id(0)] WebhookSubscription Subscription,
    [property: Id(1)] string Secret);

/// <summary>How many dead-lettered events a replay put back in the queue.</summary>
[GenerateSerializer, Immutable, Alias("cc.WebhookReplay")]
public sealed record WebhookReplay([property: Id(0)] int Replayed);
