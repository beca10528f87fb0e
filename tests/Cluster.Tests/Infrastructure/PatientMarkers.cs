using System.Security.Cryptography;

namespace ClinicCluster.Cluster.Tests.Infrastructure;

/// <summary>A patient whose every demographic field holds a random marker that occurs nowhere else.</summary>
public sealed record PatientMarkers(string Mrn, string GivenName, string FamilyName, string BirthDate, string Phone, string Email,
    string Line1, string City, string PostalCode)
{
    public IEnumerable<string> All => [Mrn, GivenName, FamilyName, BirthDate, Phone, Email, Line1, City, PostalCode];

    public object Body => new
    {
        mrn = Mrn,
        givenName = GivenName,
        familyName = FamilyName,
        birthDate = BirthDate,
        sex = "other",
        phone = Phone,
        email = Email,
        address = new { line1 = Line1, city = City, postalCode = PostalCode, country = "US" },
    };

    public static PatientMarkers New() => new(
        "MRN-" + Letters(10).ToUpperInvariant(),
        "Giv" + Letters(12),
        "Fam" + Letters(12),
        $"19{RandomNumberGenerator.GetInt32(10, 99)}-{RandomNumberGenerator.GetInt32(1, 13):D2}-{RandomNumberGenerator.GetInt32(1, 29):D2}",
        "+1 " + Digits(10),
        $"mail{Letters(10)}@example.org",
        Digits(3) + " Str" + Letters(10),
        "City" + Letters(10),
        Digits(9));

    private static string Letters(int count) =>
        new(Enumerable.Range(0, count).Select(_ => (char)('a' + RandomNumberGenerator.GetInt32(26))).ToArray());

    private static string Digits(int count) =>
        new(Enumerable.Range(0, count).Select(_ => (char)('0' + RandomNumberGenerator.GetInt32(10))).ToArray());
}

/// <summary>PostgreSQL client programs of the newest installed server (scripts/postgres.sh installs it).</summary>
public static class PgTools
{
    public static string Find(string program)
    {
        var bin = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .Select(d => Path.Combine(d, "bin", program))
                .Where(File.Exists)
                .OrderBy(p => int.TryParse(Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(p))), out var major) ? major : 0)
                .LastOrDefault()
            : null;
        return bin ?? throw new FileNotFoundException($"{program} not found under /usr/lib/postgresql; run scripts/postgres.sh start first.");
    }
}
