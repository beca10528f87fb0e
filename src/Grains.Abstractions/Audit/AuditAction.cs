using System.Text.Json.Serialization;

namespace ClinicCluster.Audit;

/// <summary>What the caller did (FHIR AuditEvent.action, with search, export and login failure spelt out).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AuditAction>))]
public enum AuditAction
{
    [JsonStringEnumMemberName("create")] Create = 0,
    [JsonStringEnumMemberName("read")] Read = 1,
    [JsonStringEnumMemberName("update")] Update = 2,
    [JsonStringEnumMemberName("delete")] Delete = 3,
    [JsonStringEnumMemberName("search")] Search = 4,
    [JsonStringEnumMemberName("export")] Export = 5,
    [JsonStringEnumMemberName("login-failure")] LoginFailure = 6,
}
