using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace ClinicCluster.Scheduling;

/// <summary>
/// The opaque cursor of a clinic-wide search: the last slot's position (start instant and provider
/// id, no PHI), a fingerprint of the query it belongs to (a hash, never the query text), and a
/// checksum over both, in base64url. An altered or foreign cursor, or one used with another query,
/// does not decode (400). A cursor is a position, not a permission: forging a valid one only names
/// a place in results the caller may search anyway.
/// </summary>
public static class AvailabilityCursor
{
    public const int MaxLength = ClinicAvailabilityLimits.MaxCursorLength;
    private const byte Version = 1;
    private const int HeaderLength = 1 + 8 + 8;
    private const int ChecksumLength = 8;
    private static readonly byte[] Domain = Encoding.ASCII.GetBytes("clinic-cluster/availability-cursor/v1\n");

    public static string Encode(SlotPosition position, ulong queryFingerprint)
    {
        var provider = Encoding.UTF8.GetBytes(position.ProviderId);
        var bytes = new byte[HeaderLength + provider.Length + ChecksumLength];
        bytes[0] = Version;
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(1), position.Start.UtcTicks);
        BinaryPrimitives.WriteUInt64BigEndian(bytes.AsSpan(9), queryFingerprint);
        provider.CopyTo(bytes, HeaderLength);
        Checksum(bytes.AsSpan(0, bytes.Length - ChecksumLength)).CopyTo(bytes.AsSpan(bytes.Length - ChecksumLength));
        return Base64Url.EncodeToString(bytes);
    }

    /// <summary>The position in <paramref name="cursor"/>, or null when it is not a cursor of this query.</summary>
    public static SlotPosition? Decode(string cursor, ulong queryFingerprint)
    {
        if (cursor.Length is 0 or > MaxLength || !cursor.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            return null;
        }

        byte[] bytes;
        try
        {
            bytes = Base64Url.DecodeFromChars(cursor);
        }
        catch (FormatException)
        {
            return null;
        }

        if (bytes.Length <= HeaderLength + ChecksumLength || bytes[0] != Version
            || !Checksum(bytes.AsSpan(0, bytes.Length - ChecksumLength)).AsSpan().SequenceEqual(bytes.AsSpan(bytes.Length - ChecksumLength))
            || BinaryPrimitives.ReadUInt64BigEndian(bytes.AsSpan(9)) != queryFingerprint)
        {
            return null;
        }

        var ticks = BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(1));
        var provider = Encoding.UTF8.GetString(bytes, HeaderLength, bytes.Length - HeaderLength - ChecksumLength);
        return ticks is < 0 || ticks > DateTimeOffset.MaxValue.UtcTicks || !Common.Identifiers.IsValid(provider)
            ? null
            : new SlotPosition(new DateTimeOffset(ticks, TimeSpan.Zero), provider);
    }

    /// <summary>
    /// The query's identity for its cursors: type, dates, providers (as a set) and specialty,
    /// normalised as the search compares them. The limit may change between pages.
    /// </summary>
    public static ulong Fingerprint(ClinicAvailabilityQuery query)
    {
        var providers = (query.ProviderIds ?? []).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        var text = string.Join('\n', query.AppointmentType.ToUpperInvariant(), query.From.DayNumber, query.To.DayNumber,
            string.Join(',', providers), query.Specialty?.ToUpperInvariant() ?? "");
        return BinaryPrimitives.ReadUInt64BigEndian(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    private static byte[] Checksum(ReadOnlySpan<byte> content)
    {
        var hash = SHA256.HashData([.. Domain, .. content]);
        return hash[..ChecksumLength];
    }
}
