namespace ClinicCluster.Common;

/// <summary>
/// The one text rule for every free-text field (names, reasons, search text, headers we store):
/// no control characters at all, except line breaks and tabs where a field allows several lines;
/// never NUL (PostgreSQL cannot store it in text or jsonb); no unpaired surrogates (not valid
/// UTF-8, so not storable either); and a length limit. Used by the API and by the grains.
/// </summary>
public static class FreeText
{
    /// <summary>Why <paramref name="value"/> breaks the rule, or null when it is acceptable.</summary>
    public static string? Problem(string value, int maxLength, bool multiline = false)
    {
        if (value.Length > maxLength)
        {
            return $"At most {maxLength} characters.";
        }

        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
                continue;
            }

            if (char.IsSurrogate(c) || c is '\uFFFE' or '\uFFFF')
            {
                return "Contains an invalid character.";
            }

            if (char.IsControl(c) && !(multiline && c is '\n' or '\r' or '\t'))
            {
                return multiline ? "Must not contain control characters other than line breaks and tabs." : "Must not contain control characters.";
            }
        }

        return null;
    }

    /// <summary>True when <paramref name="value"/> keeps the rule.</summary>
    public static bool IsValid(string? value, int maxLength, bool multiline = false) =>
        value is not null && Problem(value, maxLength, multiline) is null;

    /// <summary>
    /// Printable ASCII only (space to '~'), 1 to <paramref name="maxLength"/> characters: for tokens
    /// such as the Idempotency-Key header or a purpose-of-use code.
    /// </summary>
    public static bool IsPrintableAscii(string? value, int maxLength) =>
        value is { Length: > 0 } && value.Length <= maxLength && value.All(c => c is >= ' ' and <= '~');
}
