using ClinicCluster.Persistence.Postgres;
using ClinicCluster.Persistence.Postgres.Migrations;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ClinicCluster.Silo.Commands;

/// <summary>
/// <c>migrate</c>: applies pending schema migrations with the owner's connection string and exits,
/// so a Kubernetes Job (or an operator) can run it before silos start. Exit codes: 0 done,
/// 1 a migration failed (nothing of it was kept), 2 configuration or connection problem.
/// </summary>
internal static class MigrateCommand
{
    public const string Name = "migrate";

    public static async Task<int> RunAsync(string[] args)
    {
        var configuration = CommandConfiguration.Build(args);

        string connectionString;
        try
        {
            connectionString = PostgresOptions.Read(configuration).ResolveMigration();
        }
        catch (OptionsValidationException exception)
        {
            await Console.Error.WriteLineAsync($"Configuration error: {string.Join("; ", exception.Failures)}");
            return 2;
        }

        using var loggers = LoggerFactory.Create(logging => logging
            .AddSimpleConsole(o => o.SingleLine = true)
            .SetMinimumLevel(LogLevel.Warning));
        var migrator = new SchemaMigrator(loggers.CreateLogger<SchemaMigrator>());
        var target = Describe(connectionString);
        try
        {
            var report = await migrator.MigrateAsync(connectionString);
            foreach (var migration in report.Applied)
            {
                Console.WriteLine($"Applied {migration.Name}");
            }

            Console.WriteLine(report.Applied.Count == 0
                ? $"{target}: schema is up to date ({report.AlreadyApplied} migrations applied earlier)."
                : $"{target}: applied {report.Applied.Count} migration(s); {report.AlreadyApplied} were already applied.");
            return 0;
        }
        catch (Exception exception) when (IsConnectionProblem(exception))
        {
            await Console.Error.WriteLineAsync($"Cannot connect to {target}: {OneLine(exception.Message)}");
            return 2;
        }
        catch (Exception exception) when (exception is MigrationChecksumException or NpgsqlException)
        {
            await Console.Error.WriteLineAsync($"Migration failed on {target}: {OneLine(exception.Message)}");
            return 1;
        }
    }

    /// <summary>Refused logins, unknown databases and unreachable servers: not a migration's fault.</summary>
    private static bool IsConnectionProblem(Exception exception) => exception switch
    {
        PostgresException postgres => postgres.SqlState is PostgresErrorCodes.InvalidPassword
            or PostgresErrorCodes.InvalidAuthorizationSpecification
            or PostgresErrorCodes.InvalidCatalogName,
        NpgsqlException npgsql => npgsql.InnerException is System.Net.Sockets.SocketException or TimeoutException or IOException,
        _ => false,
    };

    /// <summary>Host, port, database and user: enough to tell targets apart, never the password.</summary>
    private static string Describe(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        return $"{builder.Host}:{builder.Port}/{builder.Database} as {builder.Username}";
    }

    private static string OneLine(string message) => message.ReplaceLineEndings(" ");
}
