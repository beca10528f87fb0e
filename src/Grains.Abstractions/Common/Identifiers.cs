using System.Text.RegularExpressions;

namespace ClinicCluster.Common;

/// <summary>Shape of the identifiers that appear in routes and grain keys.</summary>
public static partial class Identifiers
{
    /// <summary>Lower-case letters, digits and hyphens, 1 to 64 characters, starting with a letter or digit.</summary>
    public static bool IsValid(string? value) => value is not null && IdPattern().IsMatch(value);

    /// <summary>A new random identifier with a readable prefix, such as <c>pat_3f2a...</c>.</summary>
    public static string New(string prefix) => string.Concat(prefix, "-", Guid.NewGuid().ToString("N"));

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();
}
