using System.Text.Json;

namespace ClinicCluster.Security;

/// <summary>Protects a whole record as one encrypted JSON field.</summary>
public static class PhiJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static ValueTask<string> ProtectAsync<T>(this IPhiProtector protector, T value, CancellationToken cancellationToken = default) =>
        protector.ProtectAsync(JsonSerializer.Serialize(value, Options), cancellationToken);

    public static async ValueTask<T> UnprotectAsync<T>(this IPhiProtector protector, string ciphertext, CancellationToken cancellationToken = default) =>
        JsonSerializer.Deserialize<T>(await protector.UnprotectAsync(ciphertext, cancellationToken), Options)
        ?? throw new JsonException("A protected record decrypted to null.");
}
