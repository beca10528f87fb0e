using System.Security.Cryptography;
using System.Text;

namespace ClinicCluster.Scheduling;

/// <summary>
/// A series' occurrences take ids derived from the series id and their index, so a retried series
/// request lands on the appointments of the first attempt (the ledger replays them).
/// </summary>
public static class SeriesIds
{
    public static string Occurrence(string seriesId, int index) => "apt-" + Hash($"series\n{seriesId}\n{index}")[..32];

    /// <summary>The fingerprint an occurrence is booked with: a retry of the same series matches it.</summary>
    public static string Fingerprint(string seriesId, int index) => Hash($"series-fingerprint\n{seriesId}\n{index}");

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
