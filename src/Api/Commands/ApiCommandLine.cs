using System.CommandLine;
using ClinicCluster.ServiceDefaults.Commands;

namespace ClinicCluster.Api.Commands;

/// <summary>
/// The API binary's command line: with no command it runs the API; <c>dev-token</c> prints a
/// development token and exits. docs/operations/commands.md lists the commands and exit codes.
/// </summary>
internal static class ApiCommandLine
{
    public static RootCommand Create(
        Func<string[], Task<int>> runApi, Func<string[], (IConfiguration, IHostEnvironment)> host, CommandOutput output)
    {
        var root = new RootCommand("Clinic Cluster API. Without a command, runs the API; settings as --Section:Key value.")
        {
            DevTokenCommand.Create(host, output),
        };
        // The binary's name whoever hosts it (dotnet, a container, a test).
        root.HelpName = "ClinicCluster.Api";
        root.SetAction((parse, _) => runApi(parse.ConfigurationArguments()));
        return root;
    }

    /// <summary>The configuration and environment the API itself would start with (appsettings, user secrets, environment, arguments).</summary>
    public static (IConfiguration, IHostEnvironment) Host(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        return (builder.Configuration, builder.Environment);
    }
}
