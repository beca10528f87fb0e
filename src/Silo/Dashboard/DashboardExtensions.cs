using ClinicCluster.ServiceDefaults;
using ClinicCluster.ServiceDefaults.Management;
using Microsoft.Extensions.Options;
using Orleans.Dashboard;

namespace ClinicCluster.Silo.Dashboard;

/// <summary>The Orleans Dashboard for operators only: on the management listener, behind basic auth, no live log by default.</summary>
public static partial class DashboardExtensions
{
    public static void AddOperatorDashboard(this ISiloBuilder silo, WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<OperatorDashboardOptions>()
            .BindConfiguration(OperatorDashboardOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        // Read now as well: whether the dashboard is added at all is decided while the silo is
        // built, before options can be resolved. The registration above validates the same values.
        var options = ConfiguredOptions.Read<OperatorDashboardOptions>(builder.Configuration, OperatorDashboardOptions.SectionName);
        if (!options.Enabled)
        {
            return;
        }

        silo.AddDashboard(o =>
        {
            o.HideTrace = !options.LiveLogStream;
            o.CounterUpdateIntervalMs = (int)options.CounterUpdateInterval.TotalMilliseconds;
        });
    }

    public static WebApplication MapOperatorDashboard(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<OperatorDashboardOptions>>().Value;
        if (!options.Enabled)
        {
            return app;
        }

        var credentials = options.CredentialsFile is { Length: > 0 } file ? OperatorCredentials.Parse(File.ReadAllLines(file)) : null;
        var access = app.Services.GetRequiredService<ManagementAccess>();
        if (credentials is null && !access.AnonymousAllowed)
        {
            LogNoOperators(app.Logger);
        }

        app.UseWhen(
            context => context.Request.Path.StartsWithSegments(ManagementPaths.Dashboard),
            branch => branch.UseMiddleware<DashboardGateMiddleware>(new DashboardOperators(credentials)));
        app.MapOrleansDashboard(ManagementPaths.Dashboard);
        return app;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dashboard:CredentialsFile is not set: the dashboard refuses every request")]
    private static partial void LogNoOperators(ILogger logger);
}
