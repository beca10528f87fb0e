namespace ClinicCluster.Webhooks;

/// <summary>
/// One event as its writer hands it to the outbox: what happened (<paramref name="Type"/>, a wire
/// name of <see cref="WebhookEventTypes"/>), to what (<paramref name="SubjectId"/>: delivery is in
/// order per subject) and when, with <paramref name="DataJson"/> a JSON object of ids and times only.
/// </summary>
[GenerateSerializer, Immutable, Alias("cc.WebhookEvent")]
public sealed record WebhookEvent(
    [property: Id(0)] string ClinicId,
    [property: Id(1)] string Type,
    [property: Id(2)] string SubjectId,
    [property: Id(3)] DateTimeOffset OccurredAt,
    [property: Id(4)] string DataJson);
