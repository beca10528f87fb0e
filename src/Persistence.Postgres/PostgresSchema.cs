using System.Data.Common;
using Npgsql;

namespace ClinicCluster.Persistence.Postgres;

/// <summary>Names shared by the migrations, the migrator and the Orleans provider registrations.</summary>
public static class PostgresSchema
{
    /// <summary>The schema every Orleans table and the query table live in.</summary>
    public const string Name = "orleans";

    /// <summary>The ADO.NET invariant the Orleans providers know Npgsql by.</summary>
    public const string Invariant = "Npgsql";

    /// <summary>
    /// Makes <see cref="Invariant"/> resolvable through <see cref="DbProviderFactories"/>. Orleans
    /// finds Npgsql by assembly name today; registering keeps any factory-based lookup working.
    /// </summary>
    public static void RegisterProviderFactory() => DbProviderFactories.RegisterFactory(Invariant, NpgsqlFactory.Instance);
}
