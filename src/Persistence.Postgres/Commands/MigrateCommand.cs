using System.CommandLine;
using ClinicCluster.Persistence.Postgres.Migrations;
using ClinicCluster.ServiceDefaults.Commands;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ClinicCluster.Persistence.Postgres.Commands;

/// <summary>
/// <c>migrate</c>: applies pending schema migrations with the owner's connection string and exits,
/// so a Kubernetes Job (or an operator) can run it before silos start. Exit codes: 0 done,
/// 1 a migration failed (nothing of it was kept), 2 configuration (a refused login or an unknown
/// database included), 69 the server cannot be reached.
/// </summary>
internal static class MigrateCommand
{
    public const string Name = "migrate";

    public static Command Create(CommandOutput output)
    {
        var command = new Command(Name, "Apply pending schema migrations as the schema owner, then exit.");
        command.SetAction((parse, _) => RunAsync(CommandConfiguration.Build(parse.ConfigurationArguments()), output));
        return command;
    }

    private static async Task<int> RunAsync(IConfiguration configuration, CommandOutput output)
    {
        var connectionString = PostgresOptions.Read(configuration).ResolveMigration();

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
                await output.Output.WriteLineAsync($"Applied {migration.Name}");
            }

            await output.Output.WriteLineAsync(report.Applied.Count == 0
                ? $"{target}: schema is up to date ({report.AlreadyApplied} migrations applied earlier)."
                : $"{target}: applied {report.Applied.Count} migration(s); {report.AlreadyApplied} were already applied.");
            return ExitCodes.Ok;
        }
        catch (Exception exception) when (ConnectionProblem(exception) is { } code)
        {
            await output.Error.WriteLineAsync($"Cannot connect to {target}: {OneLine(exception.Message)}");
            return code;
        }
        catch (Exception exception) when (exception is MigrationChecksumException or NpgsqlException)
        {
            await output.Error.WriteLineAsync($"Migration failed on {target}: {OneLine(exception.Message)}");
            return ExitCodes.ProblemFound;
        }
    }

    /// <summary>
    /// Refused logins and unknown databases (a setting to fix) and unreachable servers (try again
    /// later): not a migration's fault. Null for anything else.
    /// </summary>
    private static int? ConnectionProblem(Exception exception) => exception switch
    {
        PostgresException postgres when postgres.SqlState is PostgresErrorCodes.InvalidPassword
            or PostgresErrorCodes.InvalidAuthorizationSpecification
            or PostgresErrorCodes.InvalidCatalogName => ExitCodes.ConfigurationError,
        PostgresException => null,
        NpgsqlException npgsql when npgsql.InnerException is System.Net.Sockets.SocketException or TimeoutException or IOException
            => ExitCodes.Unavailable,
        _ => null,
    };

    /// <summary>Host, port, database and user: enough to tell targets apart, never the password.</summary>
    private static string Describe(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        return $"{builder.Host}:{builder.Port}/{builder.Database} as {builder.Username}";
    }

    private static string OneLine(string message) => message.ReplaceLineEndings(" ");
}
