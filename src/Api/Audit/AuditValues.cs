using System.Security.Cryptography;
using System.Text;
using ClinicCluster.Common;

namespace ClinicCluster.Api.Audit;

/// <summary>
/// Untrusted values (ids from a body that was never validated, headers) are made safe before they
/// reach an audit record: a record is permanent and hash-chained, and PostgreSQL cannot index or
/// even store some of what a caller can send (a megabyte id, a NUL character).
/// </summary>
public static class AuditValues
{
    /// <summary>Marks a hashed value; never part of a valid id, so it cannot be mistaken for a real patient.</summary>
    public const char HashedMarker = '#';

    /// <summary>
    /// A valid id unchanged; anything else as <c>#</c> + 32 hex digits of its SHA-256: bounded, and
    /// still the same for repeated attempts with the same value, so an investigator can group them.
    /// </summary>
    public static string? Id(string? value)
    {
        if (value is null || Identifiers.IsValid(value))
        {
            return value;
        }

        return HashedMarker + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)))[..32];
    }

    /// <summary>
    /// At most <paramref name="maxLength"/> characters, control characters and unpaired surrogates
    /// (a cut pair included) replaced by '?'; null when empty.
    /// </summary>
    public static string? Text(string value, int maxLength)
    {
        if (value.Length == 0)
        {
            return null;
        }

        var chars = value.ToCharArray(0, Math.Min(value.Length, maxLength));
        for (var i = 0; i < chars.Length; i++)
        {
            if (char.IsHighSurrogate(chars[i]) && i + 1 < chars.Length && char.IsLowSurrogate(chars[i + 1]))
            {
                i++;
            }
            else if (char.IsControl(chars[i]) || char.IsSurrogate(chars[i]))
            {
                chars[i] = '?';
            }
        }

        return new string(chars);
    }

    /// <summary>An HL7 PurposeOfUse code (letters, digits, '-', '.', '_'), else null so the default applies.</summary>
    public static string? PurposeOfUse(string value) =>
        value.Length is > 0 and <= 32 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_') ? value : null;
}
