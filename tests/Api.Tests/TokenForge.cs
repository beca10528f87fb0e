using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using ClinicCluster.Api.Auth;

namespace ClinicCluster.Api.Tests;

/// <summary>
/// Takes a valid development token and rewrites its header or claims, then signs it again (or
/// not), to build every kind of bad token an attacker could present. Starting from the issuer's
/// own token keeps the claim shape whatever the issuer puts in it.
/// </summary>
public static class TokenForge
{
    public static string Rewrite(
        string token,
        Action<JsonObject>? header = null,
        Action<JsonObject>? payload = null,
        string? signingKey = ApiFixture.SigningKey,
        string algorithm = "HS256")
    {
        var parts = token.Split('.');
        var head = JsonNode.Parse(Decode(parts[0]))!.AsObject();
        var body = JsonNode.Parse(Decode(parts[1]))!.AsObject();
        head["alg"] = algorithm;
        header?.Invoke(head);
        payload?.Invoke(body);
        var signingInput = $"{Encode(Encoding.UTF8.GetBytes(head.ToJsonString()))}.{Encode(Encoding.UTF8.GetBytes(body.ToJsonString()))}";
        if (signingKey is null)
        {
            return signingInput + ".";
        }

        var key = Encoding.UTF8.GetBytes(signingKey);
        var data = Encoding.ASCII.GetBytes(signingInput);
        var signature = algorithm switch
        {
            "HS384" => HMACSHA384.HashData(key, data),
            "HS512" => HMACSHA512.HashData(key, data),
            _ => HMACSHA256.HashData(key, data),
        };
        return $"{signingInput}.{Encode(signature)}";
    }

    /// <summary>A valid administrator token of every clinic, the starting point of each forgery.</summary>
    public static string Valid() => DevTokenIssuer.Issue(ApiFixture.AuthOptions, "forge", [Roles.Admin], ["*"], DateTimeOffset.UtcNow);

    public static long UnixNow(TimeSpan offset) => DateTimeOffset.UtcNow.Add(offset).ToUnixTimeSeconds();

    private static byte[] Decode(string part)
    {
        var base64 = part.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '='));
    }

    private static string Encode(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
