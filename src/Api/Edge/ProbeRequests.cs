namespace ClinicCluster.Api.Edge;

/// <summary>Kubernetes probes: never throttled into a restart, never redirected to HTTPS (the kubelet speaks plain HTTP).</summary>
internal static class ProbeRequests
{
    public static bool IsProbe(HttpContext http) => http.Request.Path.StartsWithSegments("/health", StringComparison.Ordinal);
}
