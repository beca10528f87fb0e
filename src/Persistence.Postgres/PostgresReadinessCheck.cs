using ClinicCluster.ServiceDefaults;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace ClinicCluster.Persistence.Postgres;

/// <summary>
/// Ready only while PostgreSQL answers a trivial query within a few seconds: a host whose database
/// is unreachable cannot serve (state, membership, the audit queue all live there), so Kubernetes
/// should stop sending it traffic until the database is back. Its own two-connection pool
/// ("readiness" in the pool metrics), so a probe never waits behind an exhausted main pool.
/// </summary>
public sealed class PostgresReadinessCheck : IHealthCheck, IDisposable
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(3);

    private readonly NpgsqlDataSource _dataSource;

    public PostgresReadinessCheck(string connectionString)
    {
        var settings = new NpgsqlConnectionStringBuilder(connectionString)
        {
            Timeout = (int)Budget.TotalSeconds,
            CommandTimeout = (int)Budget.TotalSeconds,
            MaxPoolSize = 2,
            MinPoolSize = 0,
        };
        _dataSource = new NpgsqlDataSourceBuilder(settings.ConnectionString) { Name = "readiness" }.Build();
    }

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var command = _dataSource.CreateCommand("SELECT 1");
            await command.ExecuteScalarAsync(cancellationToken).WaitAsync(Budget, cancellationToken);
            return HealthCheckResult.Healthy("PostgreSQL answers.");
        }
        catch (Exception exception) when (exception is NpgsqlException or TimeoutException or InvalidOperationException)
        {
            // No exception text in the probe answer: it may name hosts and users.
            return HealthCheckResult.Unhealthy("PostgreSQL does not answer.");
        }
    }

    public void Dispose() => _dataSource.Dispose();
}

public static class PostgresReadinessExtensions
{
    /// <summary>Adds the PostgreSQL check to the readiness (and startup) probe.</summary>
    public static IHealthChecksBuilder AddPostgresReadiness(this IHealthChecksBuilder builder, string connectionString) =>
        builder.AddCheck("postgres", new PostgresReadinessCheck(connectionString), tags: [ServiceDefaultsExtensions.ReadyTag]);
}
