namespace ClinicCluster.Persistence.Postgres.Migrations;

/// <summary>What one migrator run did.</summary>
/// <param name="Applied">The migrations this run applied, in order; empty when the schema was current.</param>
/// <param name="AlreadyApplied">How many embedded migrations an earlier run had applied.</param>
public sealed record MigrationReport(IReadOnlyList<Migration> Applied, int AlreadyApplied);
