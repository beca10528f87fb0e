using Microsoft.AspNetCore.Http;

namespace ClinicCluster.ServiceDefaults.Management;

/// <summary>
/// First in the pipeline. With a management port, management paths answer only there and public
/// paths only elsewhere (404 otherwise: the Host header is not trusted, the accepting socket is);
/// <c>/metrics</c> needs the bearer token unless the host is the embedded default.
/// </summary>
internal sealed class ManagementGateMiddleware(RequestDelegate next, ManagementAccess access)
{
    public Task InvokeAsync(HttpContext context)
    {
        var path = context.Request.Path;
        var management = ManagementPaths.IsManagement(path);
        if (access.Port is { } port && management != (context.Connection.LocalPort == port))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        }

        if (path.StartsWithSegments(ManagementPaths.Metrics) && !access.AllowsMetrics(context.Request.Headers.Authorization))
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            context.Response.Headers.WWWAuthenticate = "Bearer realm=\"metrics\"";
            return Task.CompletedTask;
        }

        return next(context);
    }
}
