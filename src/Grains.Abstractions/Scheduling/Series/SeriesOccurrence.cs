using System.Text.Json.Serialization;

namespace ClinicCluster.Scheduling;

/// <summary>
/// One occurrence of a series: its index (0 is the first), start and the appointment id derived
/// from the series id and index, and why it was skipped when it was.
/// </summary>
[GenerateSerializer, Immutable, Alias("cc.SeriesOccurrence")]
public sealed record SeriesOccurrence(
    [property: Id(0)] int Index,
    [property: Id(1)] DateTimeOffset Start,
    [property: Id(2)] string AppointmentId,
    [property: Id(3)] SeriesOccurrenceStatus Status,
    [property: Id(4)] string? SkippedBecause = null);

[JsonConverter(typeof(JsonStringEnumConverter<SeriesOccurrenceStatus>))]
public enum SeriesOccurrenceStatus
{
    [JsonStringEnumMemberName("booked")] Booked = 0,
    [JsonStringEnumMemberName("skipped")] Skipped = 1,
    [JsonStringEnumMemberName("cancelled")] Cancelled = 2,
}
