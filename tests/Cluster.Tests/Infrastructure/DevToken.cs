using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace ClinicCluster.Cluster.Tests.Infrastructure;

/// <summary>
/// An HS256 development token as the API's DevTokenIssuer signs it (issuer clinic-cluster-dev,
/// audience clinic-cluster-api, claims sub and clinic_roles, one "{clinic}:{role}" per grant), built here so the suite needs no
/// reference to the API assembly: the API runs only as a separate process.
/// </summary>
public static class DevToken
{
    public const string Issuer = "clinic-cluster-dev";
    public const string Audience = "clinic-cluster-api";

    /// <summary>The key the API under test is started with (Auth__DevSigningKey).</summary>
    public const string SigningKey = "cluster-tests-signing-key-0123456789-abcdefghijklmnopqrstuvwxyz";

    public static string Issue(string subject, IReadOnlyList<string> roles, IReadOnlyList<string> clinics, TimeSpan lifetime)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var header = new Dictionary<string, object> { ["alg"] = "HS256", ["typ"] = "JWT" };
        var payload = new Dictionary<string, object>
        {
            ["iss"] = Issuer,
            ["aud"] = Audience,
            ["sub"] = subject,
            ["clinic_roles"] = clinics.SelectMany(c => roles.Select(r => $"{c}:{r}")).ToArray(),
            ["iat"] = now,
            ["nbf"] = now - 5,
            ["exp"] = now + (long)lifetime.TotalSeconds,
        };
        var signingInput = $"{Encode(JsonSerializer.SerializeToUtf8Bytes(header))}.{Encode(JsonSerializer.SerializeToUtf8Bytes(payload))}";
        var signature = HMACSHA256.HashData(Encoding.UTF8.GetBytes(SigningKey), Encoding.ASCII.GetBytes(signingInput));
        return $"{signingInput}.{Encode(signature)}";
    }

    /// <summary>An administrator of every clinic, valid for the length of any test.</summary>
    public static string Admin() => Issue("cluster-tests", ["admin"], ["*"], TimeSpan.FromHours(2));

    private static string Encode(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
