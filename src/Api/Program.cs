using ClinicCluster.Api.Audit;
using ClinicCluster.Api.Auth;
using ClinicCluster.Api.Commands;
using ClinicCluster.Api.Endpoints;
using ClinicCluster.Api.Hosting;
using ClinicCluster.Api.Telemetry;
using ClinicCluster.Fhir;
using ClinicCluster.ServiceDefaults;

try
{
    var builder = WebApplication.CreateBuilder(args);
    if (args is [DevTokenCommand.Name, .. var rest])
    {
        return DevTokenCommand.Run(rest, builder.Configuration, builder.Environment, Console.Out, Console.Error);
    }

    builder.AddServiceDefaults("clinic-cluster-api");
    builder.AddApiMetrics();
    builder.AddClusterClient();
    builder.AddClusterRetry();
    builder.AddClinicAuthentication();
    builder.AddApiDefaults();
    builder.AddAuditTrail();
    builder.Services.AddFhir<FhirHost>();
    if (builder.Environment.IsDevelopment() && builder.Configuration.GetValue<bool>("Demo:Seed"))
    {
        builder.Services.AddHostedService<DemoSeeder>();
    }

    var app = builder.Build();
    app.UseApiMetrics();
    app.UseApiDefaults();
    app.MapDefaultEndpoints();
    app.MapClinicsApi();
    app.MapPatientsApi();
    app.MapAppointmentsApi();
    app.MapAuditApi();
    app.MapFhir();
    AuditCoverage.EnsureDeclared(app);
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

/// <summary>The API host's entry point; public so tests can host it with WebApplicationFactory.</summary>
public partial class Program;
