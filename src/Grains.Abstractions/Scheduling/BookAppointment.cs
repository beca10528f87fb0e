using System.Text.Json.Serialization;
using ClinicCluster.Common;

namespace ClinicCluster.Scheduling;

/// <summary>
/// A request to book a visit; <see cref="HoldId"/> converts a checkout hold of the same patient,
/// provider, type and start. Left out of the request's fingerprint when absent, so the
/// fingerprints of bookings made before holds existed still match their replays.
/// </summary>
[GenerateSerializer, Immutable, Alias("cc.BookAppointment")]
public sealed record BookAppointment(
    [property: Id(0)] string PatientId,
    [property: Id(1)] string ProviderId,
    [property: Id(2)] string AppointmentType,
    [property: Id(3)] DateTimeOffset Start,
    [property: Id(4)] string? Reason = null,
    [property: Id(5), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? HoldId = null)
{
    // The reason is clinical text (PHI): a log line that formats the request prints everything else.
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append("PatientId = ").Append(PatientId).Append(", ProviderId = ").Append(ProviderId)
            .Append(", AppointmentType = ").Append(AppointmentType).Append(", Start = ").Append(Start)
            .Append(", HoldId = ").Append(HoldId).Append(", Reason ").Append(PhiRedaction.Marker);
        return true;
    }
}
