namespace ClinicCluster.Scheduling;

/// <summary>
/// One patient waiting for a slot. <see cref="Sequence"/> orders entries of one priority (first
/// come, first served); <see cref="OfferId"/> is the live offer made to this entry, if any.
/// </summary>
[GenerateSerializer, Immutable, Alias("cc.WaitlistEntry")]
public sealed record WaitlistEntry(
    [property: Id(0)] string Id,
    [property: Id(1)] string PatientId,
    [property: Id(2)] string AppointmentType,
    [property: Id(3)] string? ProviderId,
    [property: Id(4)] DateOnly From,
    [property: Id(5)] DateOnly To,
    [property: Id(6)] int MinimumNoticeMinutes,
    [property: Id(7)] int Priority,
    [property: Id(8)] long Sequence,
    [property: Id(9)] DateTimeOffset CreatedAt,
    [property: Id(10)] string? OfferId = null);
