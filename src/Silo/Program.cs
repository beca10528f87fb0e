using ClinicCluster.ServiceDefaults;
using ClinicCluster.Silo.Audit;
using ClinicCluster.Silo.Commands;
using ClinicCluster.Silo.Hosting;

// Commands run and exit before any host is built: `migrate` needs neither Orleans nor a web server.
if (args is [MigrateCommand.Name, ..])
{
    return await MigrateCommand.RunAsync(args[1..]);
}

if (args is ["audit", "verify", ..])
{
    return await AuditVerifyCommand.RunAsync(args[2..], Console.Out, Console.Error);
}

if (args is [ReconcileCommand.Name, ..])
{
    return await ReconcileCommand.RunAsync(args[1..], Console.Out, Console.Error);
}

if (args is ["encryption", "reindex", ..])
{
    return await ClinicCluster.Silo.Encryption.EncryptionReindexCommand.RunAsync(args[2..], Console.Out, Console.Error);
}

if (args is ["encryption", "rotate", ..])
{
    return await ClinicCluster.Silo.Encryption.EncryptionRotateCommand.RunAsync(args[2..], Console.Out, Console.Error);
}

try
{
    var app = SiloApplication.Build(WebApplication.CreateBuilder(args));
    ConfigurationError.ValidateNow(app.Services);
    await app.RunAsync();
    return 0;
}
catch (Exception exception) when (ConfigurationError.Describe(exception) is { } line)
{
    // A configuration mistake is an operator's problem: one line naming the setting, no stack trace.
    await Console.Error.WriteLineAsync(line);
    return ConfigurationError.ExitCode;
}
