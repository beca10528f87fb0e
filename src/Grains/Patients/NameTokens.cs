using System.Globalization;
using System.Text;

namespace ClinicCluster.Patients;

/// <summary>
/// Turns names into search tokens: lower case, accents removed ("Zoë" and "zoe" match), split on
/// spaces, hyphens and apostrophes. A token's first character picks its index partition.
/// </summary>
public static class NameTokens
{
    public static IReadOnlySet<string> Of(string givenName, string familyName) =>
        Split(givenName).Concat(Split(familyName)).ToHashSet(StringComparer.Ordinal);

    /// <summary>The normalized first word of a search text, or null when it has no letter or digit.</summary>
    public static string? Prefix(string text) => Split(text).FirstOrDefault();

    /// <summary>A name folded the way search matches it, so "Ávila" sorts with the A's.</summary>
    public static string SortKey(string name) => string.Join(' ', Split(name));

    /// <summary>The partition a token belongs to: its first letter or digit.</summary>
    public static string Partition(string token) => token[..1];

    private static IEnumerable<string> Split(string text)
    {
        // Decomposing ASCII changes nothing, and skipping it spares a call into ICU per name: four
        // per patient when a large name index partition loads (decision 0060).
        var builder = new StringBuilder(text.Length);
        foreach (var c in Ascii.IsValid(text) ? text : text.Normalize(NormalizationForm.FormD))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            builder.Append(char.IsLetterOrDigit(c) ? char.ToLowerInvariant(c) : ' ');
        }

        return builder.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries);
    }
}
