using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace ClinicCluster.LoadGen;

/// <summary>
/// A development token as <c>dotnet run --project src/Api -- dev-token</c> signs it (HS256 with
/// Auth:DevSigningKey, issuer clinic-cluster-dev, audience clinic-cluster-api, claims sub and
/// clinic_roles, one "{clinic}:{role}" per grant; scope for the FHIR routes), minted here so a run does not start the API once
/// per token.
/// </summary>
public static class DevToken
{
    public static string Admin(string signingKey) => Sign(signingKey, "admin");

    /// <summary>The audit trail's reader: an admin may not read it (separation of duties, RolePermissions).</summary>
    public static string Auditor(string signingKey) => Sign(signingKey, "auditor");

    private static string Sign(string signingKey, string role)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var header = new Dictionary<string, object> { ["alg"] = "HS256", ["typ"] = "JWT" };
        var payload = new Dictionary<string, object>
        {
            ["iss"] = "clinic-cluster-dev",
            ["aud"] = "clinic-cluster-api",
            ["sub"] = "loadgen",
            ["clinic_roles"] = new[] { $"*:{role}" },
            // SMART v2 scopes for the FHIR routes (read-patient-fhir); the native routes ignore them.
            ["scope"] = "user/*.rs",
            ["iat"] = now,
            ["nbf"] = now - 5,
            ["exp"] = now + 3600,
        };
        var signingInput = $"{Encode(JsonSerializer.SerializeToUtf8Bytes(header))}.{Encode(JsonSerializer.SerializeToUtf8Bytes(payload))}";
        var signature = HMACSHA256.HashData(Encoding.UTF8.GetBytes(signingKey), Encoding.ASCII.GetBytes(signingInput));
        return $"{signingInput}.{Encode(signature)}";
    }

    private static string Encode(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
