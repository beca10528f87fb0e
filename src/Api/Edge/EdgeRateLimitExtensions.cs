using System.Globalization;
using System.Security.Claims;
using System.Threading.RateLimiting;
using ClinicCluster.Api.Auth;
using ClinicCluster.Api.Problems;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace ClinicCluster.Api.Edge;

/// <summary>
/// Fixed windows per caller (token subject; client address for anonymous callers) chained with one
/// per client address, from <see cref="RateLimitOptions"/>; a refusal is a 429 problem with Retry-After.
/// </summary>
internal static class EdgeRateLimitExtensions
{
    public static IServiceCollection AddEdgeRateLimiter(this IServiceCollection services)
    {
        services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.SectionName)
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<RateLimitOptions>>((limiter, settings) =>
        {
            var limits = settings.Value;
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = OnRejectedAsync;
            if (limits.Enabled)
            {
                limiter.GlobalLimiter = PartitionedRateLimiter.CreateChained(PerCaller(limits), PerAddress(limits));
            }
        });
        return services;
    }

    private static PartitionedRateLimiter<HttpContext> PerCaller(RateLimitOptions limits) =>
        PartitionedRateLimiter.Create<HttpContext, string>(http =>
        {
            if (ProbeRequests.IsProbe(http))
            {
                return RateLimitPartition.GetNoLimiter("probe");
            }

            return http.User.Identity?.IsAuthenticated == true
                ? RateLimitPartition.GetFixedWindowLimiter("sub:" + http.User.FindFirstValue(ClinicClaims.Subject), _ => Window(limits.PerCallerPermits, limits.Window))
                : RateLimitPartition.GetFixedWindowLimiter("anon:" + Address(http), _ => Window(limits.AnonymousPerAddressPermits, limits.Window));
        });

    private static PartitionedRateLimiter<HttpContext> PerAddress(RateLimitOptions limits) =>
        PartitionedRateLimiter.Create<HttpContext, string>(http => ProbeRequests.IsProbe(http)
            ? RateLimitPartition.GetNoLimiter("probe")
            : RateLimitPartition.GetFixedWindowLimiter("ip:" + Address(http), _ => Window(limits.PerAddressPermits, limits.Window)));

    private static FixedWindowRateLimiterOptions Window(int permits, TimeSpan window) => new()
    {
        PermitLimit = permits,
        Window = window,
        QueueLimit = 0,
        AutoReplenishment = true,
    };

    private static string Address(HttpContext http) => http.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    private static async ValueTask OnRejectedAsync(OnRejectedContext context, CancellationToken cancellationToken)
    {
        var http = context.HttpContext;
        var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)) : 1;
        http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        http.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
        http.RequestServices.GetRequiredService<Audit.DenialMetrics>().RateLimited(http.User.Identity?.IsAuthenticated == true);
        var problem = new ProblemDetails
        {
            Status = StatusCodes.Status429TooManyRequests,
            Title = "Too many requests",
            Type = ApiResults.ProblemTypeBase + "rate-limited",
            Detail = "Too many requests from this caller or address; retry after the time in Retry-After.",
        };
        problem.Extensions["code"] = "rate-limited";
        await http.RequestServices.GetRequiredService<IProblemDetailsService>()
            .WriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem });
    }
}
