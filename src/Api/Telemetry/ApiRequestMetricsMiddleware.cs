using System.Diagnostics;
using ClinicCluster.ServiceDefaults.Management;

namespace ClinicCluster.Api.Telemetry;

/// <summary>
/// Times every public request (not probes or scrapes) into <c>clinic.api.request.duration</c>, and
/// counts a booking route's outcome from the status it finally answers with: after the exception
/// handlers, so a storage outage counts as unavailable (503), not as an error.
/// </summary>
internal sealed class ApiRequestMetricsMiddleware(RequestDelegate next, ApiMetrics metrics)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (ManagementPaths.IsManagement(context.Request.Path))
        {
            await next(context);
            return;
        }

        var started = Stopwatch.GetTimestamp();
        var status = StatusCodes.Status500InternalServerError;
        try
        {
            await next(context);
            status = context.Response.StatusCode;
        }
        finally
        {
            // An exception that escaped every handler stays a 500.
            metrics.RequestCompleted(status, Stopwatch.GetElapsedTime(started));
            if (context.GetEndpoint()?.Metadata.GetMetadata<BookingRoute>() is not null)
            {
                metrics.Booking(BookingOutcomeLabels.FromStatus(status));
            }
        }
    }
}

/// <summary>Endpoint metadata: this route books an appointment.</summary>
internal sealed class BookingRoute;
