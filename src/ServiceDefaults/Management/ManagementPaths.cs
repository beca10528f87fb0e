using Microsoft.AspNetCore.Http;

namespace ClinicCluster.ServiceDefaults.Management;

/// <summary>The paths that belong to the management listener.</summary>
public static class ManagementPaths
{
    public const string Health = "/health";
    public const string Metrics = "/metrics";
    public const string Dashboard = "/dashboard";

    public static bool IsManagement(PathString path) =>
        path.StartsWithSegments(Health) || path.StartsWithSegments(Metrics) || path.StartsWithSegments(Dashboard);
}
