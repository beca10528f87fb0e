using System.Text.Json.Serialization;

namespace ClinicCluster.Patients;

/// <summary>FHIR R4 administrative gender.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AdministrativeSex>))]
public enum AdministrativeSex
{
    [JsonStringEnumMemberName("unknown")] Unknown = 0,
    [JsonStringEnumMemberName("male")] Male = 1,
    [JsonStringEnumMemberName("female")] Female = 2,
    [JsonStringEnumMemberName("other")] Other = 3,
}
