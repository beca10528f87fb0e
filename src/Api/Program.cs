using ClinicCluster.Api.Audit;
using ClinicCluster.Api.Auth;
using ClinicCluster.Api.Cluster;
using ClinicCluster.Api.Commands;
using ClinicCluster.Api.Edge;
using ClinicCluster.Api.Endpoints;
using ClinicCluster.Api.Telemetry;
using ClinicCluster.Fhir;
using ClinicCluster.ServiceDefaults;
using ClinicCluster.ServiceDefaults.Commands;

// One command line (System.CommandLine): `dev-token` prints a token and exits; no command runs the
// API. Configuration errors and exit codes are the command host's (docs/operations/commands.md).
return await CommandHost.InvokeAsync(
    ApiCommandLine.Create(RunApiAsync, ApiCommandLine.Host, CommandOutput.Console), args, CommandOutput.Console);

static async Task<int> RunApiAsync(string[] args)
{
    var builder = WebApplication.CreateBuilder(args);
    builder.AddServiceDefaults("clinic-cluster-api");
    builder.AddApiMetrics();
    builder.AddClusterClient();
    builder.AddClusterRetry();
    builder.AddClinicAuthentication();
    builder.AddApiDefaults();
    builder.AddAuditTrail();
    builder.Services.AddFhir<FhirHost>();
    builder.AddDemoSeed();

    var app = builder.Build();
    app.UseApiMetrics();
    app.UseApiDefaults();
    app.MapDefaultEndpoints();
    app.MapClinicsApi();
    app.MapPatientsApi();
    app.MapAppointmentsApi();
    app.MapClinicAvailabilityApi();
    app.MapHoldsApi();
    app.MapWebhooksApi();
    app.MapWaitlistApi();
    app.MapSeriesApi();
    app.MapAuditApi();
    app.MapFhir();
    AuditCoverage.EnsureDeclared(app);
    ConfigurationError.ValidateNow(app.Services);
    await app.RunAsync();
    return ExitCodes.Ok;
}

/// <summary>The API host's entry point; public so tests can host it with WebApplicationFactory.</summary>
public partial class Program;
