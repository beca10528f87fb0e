using System.Globalization;
using System.Security.Claims;
using System.Threading.RateLimiting;
using ClinicCluster.Api.Auth;
using ClinicCluster.Api.Problems;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace ClinicCluster.Api.Edge;

/// <summary>
/// What the API refuses before any grain is called: too many requests (429), bodies and headers
/// beyond a route's limits (413, 431), cross-origin calls not configured; and what every response
/// carries: security headers, no caching of PHI, HSTS outside Development.
/// </summary>
public static class EdgeLimitsExtensions
{
    public const string CorsPolicyName = "configured-origins";

    public static WebApplicationBuilder AddEdgeLimits(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<RateLimitOptions>().Bind(builder.Configuration.GetSection(RateLimitOptions.SectionName))
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<RequestLimitOptions>().Bind(builder.Configuration.GetSection(RequestLimitOptions.SectionName))
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<CorsOptions>().Bind(builder.Configuration.GetSection(CorsOptions.SectionName))
            .Validate(o => o.AllowedOrigins.All(IsOrigin), "Cors:AllowedOrigins must be absolute http(s) origins without a path, never '*'.")
            .ValidateOnStart();
        builder.Services.AddOptions<HttpsSettings>().Bind(builder.Configuration.GetSection(HttpsSettings.SectionName))
            .ValidateDataAnnotations().ValidateOnStart();

        builder.Services.AddOptions<ProxyOptions>().Bind(builder.Configuration.GetSection(ProxyOptions.SectionName))
            .Validate(o => o.KnownNetworks.All(ProxyOptions.IsNetwork), "Proxy:KnownNetworks must be CIDR networks such as 10.0.0.0/8.")
            .ValidateOnStart();
        builder.Services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<ProxyOptions>>((forwarded, proxies) =>
        {
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;

            // Only the nearest hop is believed, and only from a configured proxy network.
            forwarded.ForwardLimit = 1;
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            foreach (var network in proxies.Value.KnownNetworks)
            {
                forwarded.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
            }
        });

        builder.Services.AddHsts(_ => { });
        builder.Services.AddOptions<Microsoft.AspNetCore.HttpsPolicy.HstsOptions>().Configure<IOptions<HttpsSettings>>((hsts, settings) =>
        {
            hsts.MaxAge = settings.Value.HstsMaxAge;
            hsts.IncludeSubDomains = settings.Value.HstsIncludeSubDomains;
        });

        builder.Services.AddCors();
        builder.Services.AddOptions<Microsoft.AspNetCore.Cors.Infrastructure.CorsOptions>().Configure<IOptions<CorsOptions>>((cors, settings) =>
        {
            if (settings.Value.AllowedOrigins.Length > 0)
            {
                cors.AddPolicy(CorsPolicyName, policy => policy
                    .WithOrigins(settings.Value.AllowedOrigins)
                    .WithMethods("GET", "POST", "PUT")
                    .WithHeaders("Authorization", "Content-Type", "Idempotency-Key", "X-Purpose-Of-Use")
                    .WithExposedHeaders("Location", "Retry-After"));
            }
        });

        builder.Services.AddRateLimiter(_ => { });
        builder.Services.AddOptions<RateLimiterOptions>().Configure<IOptions<RateLimitOptions>>((limiter, settings) =>
        {
            var limits = settings.Value;
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = OnRejectedAsync;
            if (limits.Enabled)
            {
                limiter.GlobalLimiter = PartitionedRateLimiter.CreateChained(PerCaller(limits), PerAddress(limits));
            }
        });
        return builder;
    }

    /// <summary>Before routing decisions matter: headers on every response, header limits, HSTS, CORS.</summary>
    public static WebApplication UseEdgeResponses(this WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<ProxyOptions>>().Value.KnownNetworks.Length > 0)
        {
            app.UseForwardedHeaders();
        }

        if (!app.Environment.IsDevelopment())
        {
            app.UseHsts();
            if (app.Services.GetRequiredService<IOptions<HttpsSettings>>().Value.Redirect)
            {
                // Probes come over plain HTTP from the kubelet and must not be redirected.
                app.UseWhen(http => !IsProbe(http), branch => branch.UseHttpsRedirection());
            }
        }

        app.UseMiddleware<SecurityHeadersMiddleware>();
        app.UseMiddleware<UnreadBodyMiddleware>();
        app.UseMiddleware<RequestLimitsMiddleware>();
        if (app.Services.GetRequiredService<IOptions<CorsOptions>>().Value.AllowedOrigins.Length > 0)
        {
            app.UseCors(CorsPolicyName);
        }

        return app;
    }

    /// <summary>After authentication (the caller is known) and before authorization (so a flood of denials stops here).</summary>
    public static WebApplication UseEdgeRateLimits(this WebApplication app)
    {
        app.UseRateLimiter();
        return app;
    }

    /// <summary>A route whose body may be as large as <see cref="RequestLimitOptions.MaxLargeBodyBytes"/>.</summary>
    public static RouteHandlerBuilder AcceptsLargeBody(this RouteHandlerBuilder route) => route.WithMetadata(new LargeBody());

    private static PartitionedRateLimiter<HttpContext> PerCaller(RateLimitOptions limits) =>
        PartitionedRateLimiter.Create<HttpContext, string>(http =>
        {
            if (IsProbe(http))
            {
                return RateLimitPartition.GetNoLimiter("probe");
            }

            return http.User.Identity?.IsAuthenticated == true
                ? RateLimitPartition.GetFixedWindowLimiter("sub:" + http.User.FindFirstValue(ClinicClaims.Subject), _ => Window(limits.PerCallerPermits, limits.Window))
                : RateLimitPartition.GetFixedWindowLimiter("anon:" + Address(http), _ => Window(limits.AnonymousPerAddressPermits, limits.Window));
        });

    private static PartitionedRateLimiter<HttpContext> PerAddress(RateLimitOptions limits) =>
        PartitionedRateLimiter.Create<HttpContext, string>(http => IsProbe(http)
            ? RateLimitPartition.GetNoLimiter("probe")
            : RateLimitPartition.GetFixedWindowLimiter("ip:" + Address(http), _ => Window(limits.PerAddressPermits, limits.Window)));

    private static FixedWindowRateLimiterOptions Window(int permits, TimeSpan window) => new()
    {
        PermitLimit = permits,
        Window = window,
        QueueLimit = 0,
        AutoReplenishment = true,
    };

    // Kubernetes probes must never be throttled into a restart.
    private static bool IsProbe(HttpContext http) => http.Request.Path.StartsWithSegments("/health", StringComparison.Ordinal);

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

    private static bool IsOrigin(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http" && uri.AbsolutePath == "/"
        && !value.EndsWith('/') && string.IsNullOrEmpty(uri.Query);
}

/// <summary>Headers every response carries; PHI is never cached by a browser or a proxy.</summary>
public sealed class SecurityHeadersMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext http)
    {
        http.Response.OnStarting(static state =>
        {
            var response = ((HttpContext)state).Response;
            var headers = response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            headers["Cross-Origin-Resource-Policy"] = "same-origin";
            headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()";
            var path = ((HttpContext)state).Request.Path;
            if (!path.StartsWithSegments("/docs", StringComparison.Ordinal))
            {
                // The interactive docs page (Development only) runs scripts; the API serves JSON only.
                headers.ContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'";
            }

            if (path.StartsWithSegments("/api", StringComparison.Ordinal))
            {
                headers.CacheControl = "no-store";
                headers.Pragma = "no-cache";
            }

            return Task.CompletedTask;
        }, http);
        return next(http);
    }
}

/// <summary>
/// Per-route request limits: the body limit from the route's metadata (413 here when the declared
/// length exceeds it, or raised by the server while a chunked body is read), and header count and
/// size (431) checked here. Routing has run, so an unmatched path gets the default limit.
/// </summary>
public sealed class RequestLimitsMiddleware(RequestDelegate next, IOptions<RequestLimitOptions> options, IProblemDetailsService problems)
{
    public async Task InvokeAsync(HttpContext http)
    {
        var limits = options.Value;
        var endpoint = http.GetEndpoint();
        var bodyLimit = endpoint?.Metadata.GetMetadata<BodyLimit>()?.Bytes
            ?? (endpoint?.Metadata.GetMetadata<LargeBody>() is not null ? limits.MaxLargeBodyBytes : limits.MaxBodyBytes);
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } body)
        {
            // Enforced by the server while the body is read: the 413 reaches the client as a problem
            // (see AddApiDefaults), and the connection stays usable because the body was consumed.
            body.MaxRequestBodySize = bodyLimit;
        }

        if (http.Request.ContentLength > bodyLimit)
        {
            // Refused before authentication, routing answers and handlers, and the connection is
            // closed: draining the body would fail the limit and drop the connection silently.
            http.Response.Headers.Connection = "close";
            await WriteAsync(http, StatusCodes.Status413PayloadTooLarge, "Request body too large", "body-too-large",
                "The request body is larger than this route accepts.");
            return;
        }

        var count = 0;
        long bytes = 0;
        foreach (var (name, values) in http.Request.Headers)
        {
            foreach (var value in values)
            {
                count++;
                bytes += name.Length + (value?.Length ?? 0);
            }
        }

        if (count > limits.MaxHeaderCount || bytes > limits.MaxHeaderBytes)
        {
            await WriteAsync(http, StatusCodes.Status431RequestHeaderFieldsTooLarge, "Request headers too large", "headers-too-large",
                $"At most {limits.MaxHeaderCount} headers and {limits.MaxHeaderBytes} bytes of headers.");
            return;
        }

        await next(http);
    }

    private async Task WriteAsync(HttpContext http, int status, string title, string code, string detail)
    {
        http.Response.StatusCode = status;
        var problem = new ProblemDetails { Status = status, Title = title, Type = ApiResults.ProblemTypeBase + code, Detail = detail };
        problem.Extensions["code"] = code;
        await problems.WriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem });
    }
}
