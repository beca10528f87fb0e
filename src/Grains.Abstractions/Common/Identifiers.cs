using System.Text.RegularExpressions;

namespace ClinicCluster.Common;

/// <summary>
/// Shape of the identifiers that appear in routes, query parameters, bodies and grain keys. The one
/// id rule: the API's request validation and the grains' validation both call <see cref="IsValid"/>.
/// </summary>
public static partial class Identifiers
{
    public const int MaxLength = 64;

    /// <summary>Lower-case letters, digits and hyphens, 1 to 64 characters, starting with a letter or digit.</summary>
    public static bool IsValid(string? value) => value is { Length: > 0 and <= MaxLength } && IdPattern().IsMatch(value);

    /// <summary>A new random identifier with a readable prefix, such as <c>pat_3f2a...</c>.</summary>
    public static string New(string prefix) => string.Concat(prefix, "-", Guid.NewGuid().ToString("N"));

    // \z, not $: "$" also matches before a trailing newline, which let "abc\n" through as an id.
    [GeneratedRegex(@"\A[a-z0-9][a-z0-9-]{0,63}\z", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();
}
