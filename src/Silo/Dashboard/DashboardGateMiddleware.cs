using ClinicCluster.ServiceDefaults.Management;

namespace ClinicCluster.Silo.Dashboard;

/// <summary>
/// Basic authentication in front of /dashboard: an operator from the credentials file, or anyone
/// in the embedded default. The management gate has already kept it off any other port.
/// </summary>
internal sealed class DashboardGateMiddleware(RequestDelegate next, ManagementAccess access, DashboardOperators operators)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (access.AnonymousAllowed || operators.Credentials?.Accepts(context.Request.Headers.Authorization) == true)
        {
            return next(context);
        }

        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.Headers.WWWAuthenticate = "Basic realm=\"Orleans Dashboard\", charset=\"UTF-8\"";
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync("The Orleans Dashboard needs an operator's credentials.");
    }
}

/// <summary>The operator accounts, or none (then only the embedded default gets in).</summary>
internal sealed record DashboardOperators(OperatorCredentials? Credentials);
