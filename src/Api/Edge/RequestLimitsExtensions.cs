namespace ClinicCluster.Api.Edge;

/// <summary>Body and header limits: the settings <see cref="RequestLimitsMiddleware"/> enforces, and a route's claim to a larger body.</summary>
public static class RequestLimitsExtensions
{
    internal static IServiceCollection AddRequestLimits(this IServiceCollection services)
    {
        services.AddOptions<RequestLimitOptions>().BindConfiguration(RequestLimitOptions.SectionName)
            .ValidateDataAnnotations().ValidateOnStart();
        return services;
    }

    /// <summary>A route whose body may be as large as <see cref="RequestLimitOptions.MaxLargeBodyBytes"/>.</summary>
    public static RouteHandlerBuilder AcceptsLargeBody(this RouteHandlerBuilder route) => route.WithMetadata(new LargeBody());
}
