using ClinicCluster.Persistence.Postgres;
using ClinicCluster.ServiceDefaults;
using Npgsql;

namespace ClinicCluster.Silo.Hosting;

/// <summary>The silo's one PostgreSQL data source, when clustering or storage needs a database.</summary>
internal static class SiloDatabaseExtensions
{
    /// <summary>
    /// Read and validated now, so a bad connection string stops the host before Orleans starts;
    /// null when neither clustering nor storage uses PostgreSQL.
    /// </summary>
    public static NpgsqlDataSource? AddSiloDatabase(this WebApplicationBuilder builder, SiloOptions options)
    {
        if (options.Clustering != ClusteringMode.AdoNet && options.Storage != StorageMode.Postgres)
        {
            return null;
        }

        // One data source, so one pool of Postgres:MaxPoolSize connections, for everything the
        // silo does in PostgreSQL: our tables and every Orleans ADO.NET provider (docs/capacity.md).
        var pool = PostgresPoolOptions.Register(builder.Services, builder.Configuration);
        var connectionString = pool.ApplyTo(PostgresOptions.Read(builder.Configuration).ResolveRuntime());
        PostgresTls.RequireServerTls(connectionString, TimeSpan.FromSeconds(5));
        var dataSource = NpgsqlDataSource.Create(connectionString);
        builder.Services.AddSingleton(_ => dataSource);
        PostgresSchema.RegisterProviderFactory();
        builder.Services.AddHealthChecks().AddPostgresReadiness(connectionString);
        return dataSource;
    }
}
