using ClinicCluster.Security;
using ClinicCluster.ServiceDefaults;
using ClinicCluster.ServiceDefaults.Commands;
using Npgsql;

namespace ClinicCluster.Persistence.Postgres.Commands;

/// <summary>
/// Configuration for one-shot commands (<c>migrate</c> and the like): the same sources the host
/// reads, without building a host. appsettings come from next to the binary, so a command works
/// from any working directory (a Kubernetes Job, a developer's shell at the repository root).
/// </summary>
internal static class CommandConfiguration
{
    public static IConfigurationRoot Build(string[] args)
    {
        var environment = Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT")
            ?? Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT")
            ?? "Production";
        return new ConfigurationBuilder()
            .SetBasePath(AppContext.BaseDirectory)
            .AddJsonFile("appsettings.json", optional: true)
            .AddJsonFile($"appsettings.{environment}.json", optional: true)
            .AddEnvironmentVariables()
            .AddCommandLine(args)
            .Build();
    }

    /// <summary>A key ring file that does not parse is a setting to fix: the one configuration error line.</summary>
    public static KeyRing LoadKeyRing(string file, string setting, bool requireIndexKey)
    {
        try
        {
            return KeyRing.Load(file, setting, requireIndexKey);
        }
        catch (InvalidDataException exception)
        {
            throw ConfigurationError.Problem(exception.Message);
        }
    }

    /// <summary>A lost connection or a timeout may pass (69); anything else PostgreSQL refused is for the operator (2).</summary>
    public static int ExitCodeOf(NpgsqlException exception) =>
        exception.IsTransient ? ExitCodes.Unavailable : ExitCodes.ConfigurationError;
}
