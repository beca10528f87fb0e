using ClinicCluster.ServiceDefaults;
using ClinicCluster.Silo.Dashboard;

namespace ClinicCluster.Silo.Hosting;

/// <summary>The silo host as Program runs it; tests build the same one in their process.</summary>
public static class SiloApplication
{
    public const string ServiceName = "clinic-cluster-silo";

    /// <summary>Without its own Urls the silo listens only on the management port: 8081 unless Management:Port says otherwise.</summary>
    public const int DefaultManagementPort = 8081;

    /// <param name="configureServices">A last word on the services before the host is built (tests add exporters).</param>
    public static WebApplication Build(WebApplicationBuilder builder, Action<IServiceCollection>? configureServices = null)
    {
        builder.AddServiceDefaults(ServiceName, DefaultManagementPort, hasPublicTraffic: false);
        builder.AddClinicSilo();
        configureServices?.Invoke(builder.Services);

        var app = builder.Build();
        app.MapDefaultEndpoints();
        app.MapOperatorDashboard();
        return app;
    }
}
