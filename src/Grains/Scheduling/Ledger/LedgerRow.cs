using ClinicCluster.Clinics;
using ClinicCluster.Common;

namespace ClinicCluster.Scheduling;

/// <summary>
/// One appointment as the ledger holds it: every fact about it (decision 0006). The appointment
/// grain's state is this row; calendars and lists are views of these rows.
/// </summary>
[GenerateSerializer, Immutable, Alias("cc.LedgerRow")]
public sealed record LedgerRow(
    [property: Id(0)] string ClinicId,
    [property: Id(1)] string AppointmentId,
    [property: Id(2)] string PatientId,
    [property: Id(3)] string ProviderId,
    [property: Id(4)] string AppointmentType,
    [property: Id(5)] DateTimeOffset Start,
    [property: Id(6)] DateTimeOffset End,
    [property: Id(7)] int BufferMinutes,
    [property: Id(8)] AppointmentStatus Status,
    [property: Id(9)] string TimeZone,
    [property: Id(10)] string? Reason,
    [property: Id(11)] string? CancellationReason,
    [property: Id(12)] string? RequestFingerprint,
    [property: Id(13)] DateTimeOffset CreatedAt,
    [property: Id(14)] DateTimeOffset UpdatedAt,
    [property: Id(15)] DateTimeOffset BookedStart,
    [property: Id(16)] DateTimeOffset BookedEnd,
    [property: Id(17)] long Version,
    [property: Id(18)] DateTimeOffset? DueSoonNoticedAt = null,
    [property: Id(19)] CancellationReasonCode? CancellationCode = null)
{
    // The reasons are clinical text (PHI) and the fingerprint hashes the request that carried one:
    // a log line or exception message that formats a row prints the facts a scheduler needs.
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append("ClinicId = ").Append(ClinicId).Append(", AppointmentId = ").Append(AppointmentId)
            .Append(", PatientId = ").Append(PatientId).Append(", ProviderId = ").Append(ProviderId)
            .Append(", AppointmentType = ").Append(AppointmentType).Append(", Start = ").Append(Start).Append(", End = ").Append(End)
            .Append(", Status = ").Append(Status).Append(", CancellationCode = ").Append(CancellationCode).Append(", Version = ").Append(Version)
            .Append(", Reason and CancellationReason ").Append(PhiRedaction.Marker);
        return true;
    }

    /// <summary>Until when the provider is busy: the end plus the visit type's buffer.</summary>
    public DateTimeOffset BlockedUntil => End.AddMinutes(BufferMinutes);

    public bool IsActive => AppointmentTransitions.IsActive(Status);

    /// <summary>The appointment as clients see it, instants shown with the clinic's offset.</summary>
    public Appointment ToAppointment() => new(
        AppointmentId, ClinicId, PatientId, ProviderId, AppointmentType,
        ClinicTimeZones.ToZoned(TimeZone, Start), ClinicTimeZones.ToZoned(TimeZone, End),
        Reason, Status, CancellationReason, CreatedAt, UpdatedAt, CancellationCode, Version);

    /// <summary>The appointment as first booked: what a replay of the booking request returns.</summary>
    public Appointment ToOriginal() => new(
        AppointmentId, ClinicId, PatientId, ProviderId, AppointmentType,
        ClinicTimeZones.ToZoned(TimeZone, BookedStart), ClinicTimeZones.ToZoned(TimeZone, BookedEnd),
        Reason, AppointmentStatus.Booked, CancellationReason: null, CreatedAt, CreatedAt, Version: 1);

    public AppointmentSummary ToSummary() => new(
        AppointmentId, PatientId, ProviderId, AppointmentType,
        ClinicTimeZones.ToZoned(TimeZone, Start), ClinicTimeZones.ToZoned(TimeZone, End), Status);

    /// <summary>The provider's claim (visit plus buffer).</summary>
    public SlotHold ProviderHold() => new(ToSummary(), ClinicTimeZones.ToZoned(TimeZone, BlockedUntil), Version);

    /// <summary>The patient's claim (the visit only).</summary>
    public SlotHold PatientHold() => new(ToSummary(), ClinicTimeZones.ToZoned(TimeZone, End), Version);
}
