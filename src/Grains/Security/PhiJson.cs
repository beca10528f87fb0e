using System.Text.Json;

namespace ClinicCluster.Security;

/// <summary>Protects a whole record as one encrypted JSON field.</summary>
public static class PhiJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    /// <summary>The JSON options of every protected record, and of plaintext records being migrated.</summary>
    public static JsonSerializerOptions SerializerOptions => Options;

    public static ValueTask<string> ProtectAsync<T>(this IPhiProtector protector, T value, PhiField field, CancellationToken cancellationToken = default) =>
        protector.ProtectAsync(JsonSerializer.Serialize(value, Options), field, cancellationToken);

    public static async ValueTask<T> UnprotectAsync<T>(this IPhiProtector protector, string ciphertext, PhiField field, CancellationToken cancellationToken = default) =>
        JsonSerializer.Deserialize<T>(await protector.UnprotectAsync(ciphertext, field, cancellationToken), Options)
        ?? throw new JsonException("A protected record decrypted to null.");
}
