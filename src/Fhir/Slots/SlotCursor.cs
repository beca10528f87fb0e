using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace ClinicCluster.Fhir.Slots;

/// <summary>
/// The opaque position of a Slot page: the last slot's start, a fingerprint of the search it belongs
/// to (a hash of ids, instants and codes) and a checksum, in base64url. It carries no search text.
/// The next page lists the slots after that start as they are then, so walking the pages while
/// bookings happen gives no duplicates or gaps (a slot booked meanwhile shows as busy or drops out
/// of a free-only search; the others keep their places). An altered or foreign cursor is 400.
/// </summary>
public static class SlotCursor
{
    public const int MaxLength = 64;
    private const byte Version = 1;
    private const int BodyLength = 1 + 8 + 8;
    private const int ChecksumLength = 8;
    private static readonly byte[] Domain = Encoding.ASCII.GetBytes("clinic-cluster/fhir-slot-cursor/v1\n");

    public static string Encode(DateTimeOffset after, ulong fingerprint)
    {
        var bytes = new byte[BodyLength + ChecksumLength];
        bytes[0] = Version;
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(1), after.UtcTicks);
        BinaryPrimitives.WriteUInt64BigEndian(bytes.AsSpan(9), fingerprint);
        Checksum(bytes.AsSpan(0, BodyLength)).CopyTo(bytes.AsSpan(BodyLength));
        return Base64Url.EncodeToString(bytes);
    }

    /// <summary>The start after which the page begins, or null when it is not a cursor of this search.</summary>
    public static DateTimeOffset? Decode(string cursor, ulong fingerprint)
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

        if (bytes.Length != BodyLength + ChecksumLength || bytes[0] != Version
            || !Checksum(bytes.AsSpan(0, BodyLength)).AsSpan().SequenceEqual(bytes.AsSpan(BodyLength))
            || BinaryPrimitives.ReadUInt64BigEndian(bytes.AsSpan(9)) != fingerprint)
        {
            return null;
        }

        var ticks = BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(1));
        return ticks is < 0 || ticks > DateTimeOffset.MaxValue.UtcTicks ? null : new DateTimeOffset(ticks, TimeSpan.Zero);
    }

    /// <summary>The search's identity for its cursors: schedule, visit type, window and statuses (the page size may change).</summary>
    public static ulong Fingerprint(string providerId, string appointmentType, SlotWindow window, bool free, bool busy)
    {
        var text = string.Join('\n', providerId, appointmentType.ToUpperInvariant(), window.From.UtcTicks, window.To.UtcTicks, free, busy);
        return BinaryPrimitives.ReadUInt64BigEndian(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    private static byte[] Checksum(ReadOnlySpan<byte> content) => SHA256.HashData([.. Domain, .. content])[..ChecksumLength];
}
