using System.Text.Json;

namespace ClinicCluster.LoadGen;

/// <summary>
/// A seeded clinic kept in a file (<c>LoadGen seed --clinic-file F</c>), so that every later run
/// (<c>--clinic-file F</c>) measures that one clinic as it grows (scripts/bench-scale.sh) instead of
/// a new, empty one. Ids only: no PHI.
/// </summary>
public static class SeededClinicFile
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static Task WriteAsync(string path, SeededClinic clinic) =>
        File.WriteAllTextAsync(path, JsonSerializer.Serialize(
            new Contents(clinic.Id, clinic.Zone.Id, clinic.Providers, clinic.Patients, clinic.Mrns), Json));

    public static async Task<SeededClinic> ReadAsync(string path)
    {
        var contents = JsonSerializer.Deserialize<Contents>(await File.ReadAllTextAsync(path), Json)
            ?? throw new ArgumentException($"{path}: not a clinic file");
        return new SeededClinic(contents.Id, TimeZoneInfo.FindSystemTimeZoneById(contents.TimeZone), contents.Providers, contents.Patients)
        {
            Mrns = contents.Mrns,
        };
    }

    private sealed record Contents(string Id, string TimeZone, IReadOnlyList<string> Providers, IReadOnlyList<string> Patients, IReadOnlyList<string> Mrns);
}
