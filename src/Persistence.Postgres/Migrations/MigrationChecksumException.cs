namespace ClinicCluster.Persistence.Postgres.Migrations;

/// <summary>
/// An applied migration's file changed. Applied migrations are history: the fix is a new
/// migration, never an edit, so the migrator stops before touching anything.
/// </summary>
public sealed class MigrationChecksumException : Exception
{
    public MigrationChecksumException()
    {
    }

    public MigrationChecksumException(string message)
        : base(message)
    {
    }

    public MigrationChecksumException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
