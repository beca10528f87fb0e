using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ClinicCluster.Fhir.Slots;

/// <summary>
/// A Slot's id, derived from what the slot is: its start (UTC, to the second), its provider and its
/// visit type. The same slot gets the same id on every call and every API instance, free or busy,
/// with no store: <c>yyyyMMddHHmmss-{provider hash}-{type hash}</c> (40 characters, a valid id of
/// ours and of FHIR). Hashes, not the ids themselves, keep it within 64 characters for any provider
/// id; a read finds the provider and type among the clinic's by their hashes.
/// </summary>
public static class SlotId
{
    private const string StartFormat = "yyyyMMddHHmmss";
    private const int ProviderHashLength = 16;
    private const int TypeHashLength = 8;
    public const int Length = 14 + 1 + ProviderHashLength + 1 + TypeHashLength;

    public static string Of(string providerId, string appointmentType, DateTimeOffset start) =>
        string.Join('-', start.UtcDateTime.ToString(StartFormat, CultureInfo.InvariantCulture), ProviderHash(providerId), TypeHash(appointmentType));

    /// <summary>The parts of a well-formed id, or null (also for years at the calendar's ends, where the clinic's offset would overflow).</summary>
    public static SlotKey? Parse(string id)
    {
        var parts = id.Split('-');
        if (id.Length != Length || parts.Length != 3 || parts[1].Length != ProviderHashLength || parts[2].Length != TypeHashLength
            || !parts[1].All(char.IsAsciiHexDigitLower) || !parts[2].All(char.IsAsciiHexDigitLower)
            || !DateTime.TryParseExact(parts[0], StartFormat, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var start)
            || start.Year is < 2 or > 9997)
        {
            return null;
        }

        return new SlotKey(new DateTimeOffset(start, TimeSpan.Zero), parts[1], parts[2]);
    }

    public static string ProviderHash(string providerId) => Hash("provider\n" + providerId, ProviderHashLength);

    // Visit types compare case-insensitively everywhere (the native search, $find), so their hash does too.
    public static string TypeHash(string appointmentType) => Hash("type\n" + appointmentType.ToUpperInvariant(), TypeHashLength);

    private static string Hash(string value, int length) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)))[..length];
}

/// <summary>What a Slot id names: a start instant (UTC) and the hashes of a provider and a visit type.</summary>
public sealed record SlotKey(DateTimeOffset Start, string ProviderHash, string TypeHash);
