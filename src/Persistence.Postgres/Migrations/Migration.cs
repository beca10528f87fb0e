namespace ClinicCluster.Persistence.Postgres.Migrations;

/// <summary>One versioned SQL file, as shipped inside the silo assembly.</summary>
/// <param name="Version">The number the file name starts with; migrations apply in this order.</param>
/// <param name="Name">The file name without extension, e.g. <c>0002_clustering</c>.</param>
/// <param name="Sql">The statements, run in one transaction.</param>
/// <param name="Checksum">SHA-256 of the SQL with line endings normalised, as lower-case hex.</param>
public sealed record Migration(int Version, string Name, string Sql, string Checksum);
