using Npgsql;

namespace ClinicCluster.Persistence.Postgres;

/// <summary>
/// How a host opens PostgreSQL, the same way in the silo and the API: <see cref="PostgresOptions"/>
/// (section "Postgres") resolved and checked before the host starts, the pool budget of
/// <see cref="PostgresPoolOptions"/>, TLS of <see cref="PostgresTls"/>, one data source and the
/// readiness check.
/// </summary>
public static class PostgresDataSourceExtensions
{
    /// <summary>
    /// Registers and answers the process's one <see cref="NpgsqlDataSource"/>, so one pool of
    /// Postgres:MaxPoolSize connections, for everything the host does in PostgreSQL: its own
    /// tables and every Orleans ADO.NET provider (docs/capacity.md). A bad setting throws here,
    /// so the host stops before Orleans starts.
    /// </summary>
    public static NpgsqlDataSource AddPostgresDataSource(this IServiceCollection services, IConfiguration configuration, string applicationName)
    {
        var pool = PostgresPoolOptions.Register(services, configuration);
        var connectionString = pool.ApplyTo(PostgresOptions.Read(configuration).ResolveRuntime(applicationName));
        PostgresTls.RequireServerTls(connectionString, TimeSpan.FromSeconds(5));
        var dataSource = NpgsqlDataSource.Create(connectionString);
        services.AddSingleton(_ => dataSource);
        PostgresSchema.RegisterProviderFactory();
        services.AddHealthChecks().AddPostgresReadiness(connectionString);
        return dataSource;
    }
}
