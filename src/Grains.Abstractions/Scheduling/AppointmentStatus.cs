using System.Text.Json.Serialization;

namespace ClinicCluster.Scheduling;

/// <summary>Appointment status with its FHIR R4 name.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AppointmentStatus>))]
public enum AppointmentStatus
{
    [JsonStringEnumMemberName("booked")] Booked = 0,
    [JsonStringEnumMemberName("checked-in")] CheckedIn = 1,
    [JsonStringEnumMemberName("fulfilled")] Fulfilled = 2,
    [JsonStringEnumMemberName("cancelled")] Cancelled = 3,
    [JsonStringEnumMemberName("noshow")] NoShow = 4,
}
