namespace ClinicCluster.Scheduling;

/// <summary>
/// A request to wait for a freed slot: a visit type with one provider (or any when
/// <see cref="ProviderId"/> is null), a local date window, the shortest notice the patient accepts
/// and a priority (0-9, higher first; first come, first served within a priority).
/// </summary>
[GenerateSerializer, Immutable, Alias("cc.JoinWaitlist")]
public sealed record JoinWaitlist(
    [property: Id(0)] string PatientId,
    [property: Id(1)] string AppointmentType,
    [property: Id(2)] string? ProviderId,
    [property: Id(3)] DateOnly From,
    [property: Id(4)] DateOnly To,
    [property: Id(5)] int? MinimumNoticeMinutes = null,
    [property: Id(6)] int? Priority = null);
