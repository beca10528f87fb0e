using ClinicCluster.ServiceDefaults;
using ClinicCluster.ServiceDefaults.Commands;
using ClinicCluster.Silo.Commands;
using ClinicCluster.Silo.Hosting;

// One command line (System.CommandLine): a command (migrate, audit verify, reconcile, encryption
// rotate|reindex) runs and exits; none runs the silo. Configuration errors and exit codes are the
// command host's (docs/operations/commands.md).
return await CommandHost.InvokeAsync(SiloCommandLine.Create(RunSiloAsync, CommandOutput.Console), args, CommandOutput.Console);

static async Task<int> RunSiloAsync(string[] args)
{
    var app = SiloApplication.Build(WebApplication.CreateBuilder(args));
    ConfigurationError.ValidateNow(app.Services);
    await app.RunAsync();
    return ExitCodes.Ok;
}
