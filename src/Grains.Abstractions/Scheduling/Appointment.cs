using System.Text.Json.Serialization;
using ClinicCluster.Common;

namespace ClinicCluster.Scheduling;

/// <summary>
/// An appointment. Start and end are instants shown with the clinic's UTC offset at that instant.
/// <see cref="CancellationCode"/> is the coded reason of a cancellation (not clinical text: front desk sees it).
/// <see cref="Version"/> is the ledger row's version (1 when booked, one more per committed change): FHIR's
/// <c>meta.versionId</c> and ETag. Left out of the native JSON, which never had it.
/// </summary>
[GenerateSerializer, Immutable, Alias("cc.Appointment")]
public sealed record Appointment(
    [property: Id(0)] string Id,
    [property: Id(1)] string ClinicId,
    [property: Id(2)] string PatientId,
    [property: Id(3)] string ProviderId,
    [property: Id(4)] string AppointmentType,
    [property: Id(5)] DateTimeOffset Start,
    [property: Id(6)] DateTimeOffset End,
    [property: Id(7)] string? Reason,
    [property: Id(8)] AppointmentStatus Status,
    [property: Id(9)] string? CancellationReason,
    [property: Id(10)] DateTimeOffset CreatedAt,
    [property: Id(11)] DateTimeOffset UpdatedAt,
    [property: Id(12)] CancellationReasonCode? CancellationCode = null,
    [property: Id(13), JsonIgnore] long Version = 0)
{
    // The reasons are clinical text (PHI): a log line that formats an appointment prints the rest.
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append("Id = ").Append(Id).Append(", ClinicId = ").Append(ClinicId).Append(", PatientId = ").Append(PatientId)
            .Append(", ProviderId = ").Append(ProviderId).Append(", AppointmentType = ").Append(AppointmentType)
            .Append(", Start = ").Append(Start).Append(", End = ").Append(End).Append(", Status = ").Append(Status)
            .Append(", CancellationCode = ").Append(CancellationCode).Append(", Version = ").Append(Version)
            .Append(", Reason and CancellationReason ").Append(PhiRedaction.Marker);
        return true;
    }
}
