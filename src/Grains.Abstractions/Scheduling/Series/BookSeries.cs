using System.Text.Json.Serialization;
using ClinicCluster.Common;

namespace ClinicCluster.Scheduling;

/// <summary>
/// A request to book a recurring series: the first visit at <see cref="Start"/>, the others from
/// <see cref="Rule"/> (a subset of RFC 5545 RRULE: FREQ=WEEKLY with INTERVAL and COUNT or UNTIL),
/// at the same local time of day in the clinic's zone.
/// </summary>
[GenerateSerializer, Immutable, Alias("cc.BookSeries")]
public sealed record BookSeries(
    [property: Id(0)] string PatientId,
    [property: Id(1)] string ProviderId,
    [property: Id(2)] string AppointmentType,
    [property: Id(3)] DateTimeOffset Start,
    [property: Id(4)] string Rule,
    [property: Id(5)] SeriesMode Mode = SeriesMode.AllOrNothing,
    [property: Id(6)] string? Reason = null)
{
    // As BookAppointment: the reason is clinical text.
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append("PatientId = ").Append(PatientId).Append(", ProviderId = ").Append(ProviderId)
            .Append(", AppointmentType = ").Append(AppointmentType).Append(", Start = ").Append(Start)
            .Append(", Rule = ").Append(Rule).Append(", Mode = ").Append(Mode).Append(", Reason ").Append(PhiRedaction.Marker);
        return true;
    }
}

/// <summary>What to do when some occurrences are not free.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SeriesMode>))]
public enum SeriesMode
{
    /// <summary>Book every occurrence or none (409 with the conflicting dates).</summary>
    [JsonStringEnumMemberName("all-or-nothing")] AllOrNothing = 0,

    /// <summary>Book the free occurrences and report the skipped ones.</summary>
    [JsonStringEnumMemberName("book-what-is-free")] BookWhatIsFree = 1,
}
