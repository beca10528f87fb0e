using System.Text.Json.Serialization;

namespace ClinicCluster.Audit;

/// <summary>How the attempt ended.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AuditOutcome>))]
public enum AuditOutcome
{
    /// <summary>The operation was carried out.</summary>
    [JsonStringEnumMemberName("success")] Success = 0,

    /// <summary>Authentication or authorisation refused it (401, 403).</summary>
    [JsonStringEnumMemberName("denied")] Denied = 1,

    /// <summary>It was refused or failed after authorisation (4xx other than 401/403, 5xx).</summary>
    [JsonStringEnumMemberName("error")] Error = 2,

    /// <summary>A stored PHI value failed its integrity check while serving it (500 phi-integrity): a security event.</summary>
    [JsonStringEnumMemberName("integrity-failure")] IntegrityFailure = 3,
}
