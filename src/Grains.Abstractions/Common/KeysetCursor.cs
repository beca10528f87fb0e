using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace ClinicCluster.Common;

/// <summary>
/// The opaque cursor of a keyset page, for every paged list (a patient's appointments, the
/// clinic-wide search, FHIR Slot pages): the last item's position (an instant, and an id unless the
/// list is ordered by the instant alone; no PHI), a fingerprint of the query it belongs to (a hash,
/// never the query text), and a checksum over both under the list's own domain, in base64url. An
/// altered cursor, one of another kind of list, or one used with another query does not decode
/// (400). A cursor is a position, not a permission: forging a valid one only names a place in
/// results the caller may list anyway.
/// </summary>
public sealed class KeysetCursor(string domain, int maxLength, bool withId = true)
{
    private const byte Version = 1;
    private const int HeaderLength = 1 + 8 + 8;
    private const int ChecksumLength = 8;
    private readonly byte[] _domain = Encoding.ASCII.GetBytes(domain + "\n");

    public int MaxLength => maxLength;

    /// <summary>The cursor of the position (<paramref name="at"/>, <paramref name="id"/>); the id is empty for a list without one.</summary>
    public string Encode(DateTimeOffset at, string id, ulong queryFingerprint)
    {
        if (withId != (id.Length > 0))
        {
            throw new ArgumentException(withId ? "This list's positions carry an id." : "This list's positions carry no id.", nameof(id));
        }

        var idBytes = Encoding.UTF8.GetBytes(id);
        var bytes = new byte[HeaderLength + idBytes.Length + ChecksumLength];
        bytes[0] = Version;
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(1), at.UtcTicks);
        BinaryPrimitives.WriteUInt64BigEndian(bytes.AsSpan(9), queryFingerprint);
        idBytes.CopyTo(bytes, HeaderLength);
        Checksum(bytes.AsSpan(0, bytes.Length - ChecksumLength)).CopyTo(bytes.AsSpan(bytes.Length - ChecksumLength));
        return Base64Url.EncodeToString(bytes);
    }

    /// <summary>The position in <paramref name="cursor"/>, or null when it is not a cursor of this query.</summary>
    public (DateTimeOffset At, string Id)? Decode(string cursor, ulong queryFingerprint)
    {
        if (cursor.Length is 0 || cursor.Length > maxLength || !cursor.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
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

        if (bytes.Length < HeaderLength + ChecksumLength || withId != (bytes.Length > HeaderLength + ChecksumLength) || bytes[0] != Version
            || !Checksum(bytes.AsSpan(0, bytes.Length - ChecksumLength)).AsSpan().SequenceEqual(bytes.AsSpan(bytes.Length - ChecksumLength))
            || BinaryPrimitives.ReadUInt64BigEndian(bytes.AsSpan(9)) != queryFingerprint)
        {
            return null;
        }

        var ticks = BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(1));
        var id = Encoding.UTF8.GetString(bytes, HeaderLength, bytes.Length - HeaderLength - ChecksumLength);
        return ticks is < 0 || ticks > DateTimeOffset.MaxValue.UtcTicks || (withId && !Identifiers.IsValid(id))
            ? null
            : (new DateTimeOffset(ticks, TimeSpan.Zero), id);
    }

    /// <summary>A query's identity for its cursors: the first 8 bytes of SHA-256 of its normalised text.</summary>
    public static ulong Fingerprint(string normalisedQuery) =>
        BinaryPrimitives.ReadUInt64BigEndian(SHA256.HashData(Encoding.UTF8.GetBytes(normalisedQuery)));

    private byte[] Checksum(ReadOnlySpan<byte> content) => SHA256.HashData([.. _domain, .. content])[..ChecksumLength];
}
