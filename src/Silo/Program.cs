using ClinicCluster.ServiceDefaults;
using ClinicCluster.Silo.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Dashboard;

try
{
    var builder = WebApplication.CreateBuilder(args);
    builder.AddServiceDefaults();
    builder.AddClinicSilo();

    var app = builder.Build();
    app.MapDefaultEndpoints();
    app.MapOrleansDashboard("/dashboard");
    await app.RunAsync();
    return 0;
}
catch (OptionsValidationException exception)
{
    // A configuration mistake is an operator's problem: one line naming the setting, no stack trace.
    await Console.Error.WriteLineAsync($"Configuration error: {string.Join("; ", exception.Failures)}");
    return 2;
}
