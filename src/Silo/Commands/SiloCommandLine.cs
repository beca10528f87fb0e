using System.CommandLine;
using ClinicCluster.Persistence.Postgres.Commands;
using ClinicCluster.ServiceDefaults.Commands;

namespace ClinicCluster.Silo.Commands;

/// <summary>
/// The silo binary's command line: with no command it runs the silo; each command runs and exits
/// before any host is built (<c>migrate</c> needs neither Orleans nor a web server).
/// docs/operations/commands.md lists them with the exit codes.
/// </summary>
internal static class SiloCommandLine
{
    public static RootCommand Create(Func<string[], Task<int>> runSilo, CommandOutput output)
    {
        // The commands live beside their SQL (src/Persistence.Postgres/Commands); the two that join
        // the cluster get it through the silo's settings.
        var cluster = new SiloClusterAccess();
        var root = new RootCommand("Clinic Cluster silo. Without a command, runs the silo; settings as --Section:Key value.")
        {
            MigrateCommand.Create(output),
            AuditVerifyCommand.Create(output),
            ReconcileCommand.Create(output, cluster),
            EncryptionCommands.Create(output, cluster),
        };
        // The binary's name whoever hosts it (dotnet, a container, a test).
        root.HelpName = "ClinicCluster.Silo";
        root.SetAction((parse, _) => runSilo(parse.ConfigurationArguments()));
        return root;
    }

    /// <summary>Runs <paramref name="args"/> as the silo binary would, the commands only (tests).</summary>
    public static Task<int> InvokeAsync(string[] args, TextWriter output, TextWriter error) =>
        CommandHost.InvokeAsync(Create(_ => throw new InvalidOperationException("No command named: the silo itself would start."), new(output, error)), args, new(output, error));
}
