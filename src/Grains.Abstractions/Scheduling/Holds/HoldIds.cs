using System.Security.Cryptography;
using ClinicCluster.Common;

namespace ClinicCluster.Scheduling;

/// <summary>
/// Hold ids name the provider whose calendar keeps the hold ("hld-{16 hex}-{providerId}"), so a
/// release or a booking finds it without a directory. The random part makes them unguessable.
/// </summary>
public static class HoldIds
{
    public const string Prefix = "hld-";
    private const int RandomLength = 16;

    /// <summary>The longest hold id: prefix, random part, hyphen, the longest provider id.</summary>
    public const int MaxLength = 4 + RandomLength + 1 + Identifiers.MaxLength;

    public static string New(string providerId) =>
        string.Concat(Prefix, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(RandomLength / 2)), "-", providerId);

    /// <summary>The provider of a well-formed hold id, or null.</summary>
    public static string? ProviderOf(string? holdId)
    {
        if (holdId is null || holdId.Length > MaxLength || !holdId.StartsWith(Prefix, StringComparison.Ordinal)
            || holdId.Length < Prefix.Length + RandomLength + 2 || holdId[Prefix.Length + RandomLength] != '-')
        {
            return null;
        }

        var random = holdId.AsSpan(Prefix.Length, RandomLength);
        foreach (var c in random)
        {
            if (c is not ((>= '0' and <= '9') or (>= 'a' and <= 'f')))
            {
                return null;
            }
        }

        var provider = holdId[(Prefix.Length + RandomLength + 1)..];
        return Identifiers.IsValid(provider) ? provider : null;
    }
}
