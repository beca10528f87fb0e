using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace ClinicCluster.Persistence.Postgres.Migrations;

/// <summary>The migrations embedded in this assembly (Persistence/Migrations/NNNN_name.sql).</summary>
public static partial class MigrationCatalog
{
    private const string ResourcePrefix = "Migrations.";

    private static readonly Lazy<IReadOnlyList<Migration>> Embedded = new(() => Load(typeof(MigrationCatalog).Assembly));

    /// <summary>Every embedded migration, in version order.</summary>
    public static IReadOnlyList<Migration> All => Embedded.Value;

    /// <summary>The checksum recorded for a migration; CRLF and LF checkouts hash alike.</summary>
    public static string Checksum(string sql) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sql.Replace("\r\n", "\n", StringComparison.Ordinal))));

    private static List<Migration> Load(Assembly assembly)
    {
        var migrations = new List<Migration>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            var name = Path.GetFileNameWithoutExtension(resource[ResourcePrefix.Length..]);
            var match = FileName().Match(name);
            if (!match.Success)
            {
                throw new InvalidOperationException($"Migration '{name}' is not named NNNN_description.sql.");
            }

            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream, Encoding.UTF8);
            var sql = reader.ReadToEnd();
            migrations.Add(new Migration(int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), name, sql, Checksum(sql)));
        }

        migrations.Sort((a, b) => a.Version.CompareTo(b.Version));
        var duplicate = migrations.GroupBy(m => m.Version).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidOperationException($"Migrations {string.Join(" and ", duplicate.Select(m => m.Name))} share version {duplicate.Key}.");
        }

        return migrations;
    }

    [GeneratedRegex(@"^(\d{4})_[a-z0-9_]+$", RegexOptions.CultureInvariant)]
    private static partial Regex FileName();
}
