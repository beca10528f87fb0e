using Microsoft.Extensions.Options;

namespace ClinicCluster.Api.Edge;

/// <summary>
/// What the API refuses before any grain is called: too many requests (429), bodies and headers
/// beyond a route's limits (413, 431), cross-origin calls not configured; and what every response
/// carries: security headers, no caching of PHI, HSTS outside Development. Each concern lives in
/// its own file; this is the order they are registered and run in.
/// </summary>
public static class EdgeLimitsExtensions
{
    public static WebApplicationBuilder AddEdgeLimits(this WebApplicationBuilder builder)
    {
        builder.Services
            .AddEdgeRateLimiter()
            .AddRequestLimits()
            .AddConfiguredCors()
            .AddHttpsEnforcement()
            .AddTrustedProxies();
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
                app.UseWhen(http => !ProbeRequests.IsProbe(http), branch => branch.UseHttpsRedirection());
            }
        }

        app.UseMiddleware<SecurityHeadersMiddleware>();
        app.UseMiddleware<UnreadBodyMiddleware>();
        app.UseMiddleware<RequestLimitsMiddleware>();
        if (app.Services.GetRequiredService<IOptions<CorsOptions>>().Value.AllowedOrigins.Length > 0)
        {
            app.UseCors(CorsExtensions.PolicyName);
        }

        return app;
    }

    /// <summary>After authentication (the caller is known) and before authorization (so a flood of denials stops here).</summary>
    public static WebApplication UseEdgeRateLimits(this WebApplication app)
    {
        app.UseRateLimiter();
        return app;
    }
}
