namespace ClinicCluster.Api.Telemetry;

/// <summary>Registers and places the API's own metrics.</summary>
public static class ApiTelemetryExtensions
{
    public static WebApplicationBuilder AddApiMetrics(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ApiMetrics>();
        return builder;
    }

    /// <summary>First after the management gate, so the duration covers every later middleware.</summary>
    public static WebApplication UseApiMetrics(this WebApplication app)
    {
        app.UseMiddleware<ApiRequestMetricsMiddleware>();
        return app;
    }

    /// <summary>Counts the route's outcomes in <c>clinic.bookings</c>.</summary>
    public static RouteHandlerBuilder WithBookingMetrics(this RouteHandlerBuilder route) =>
        route.WithMetadata(new BookingRoute());
}
