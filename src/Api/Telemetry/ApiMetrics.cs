using System.Diagnostics.Metrics;
using ClinicCluster.Telemetry;

namespace ClinicCluster.Api.Telemetry;

/// <summary>
/// The API's own instruments (meter ClinicCluster.Api). Labels are small closed sets: a status
/// class, a booking outcome. Never an id, a route value or anything a caller typed.
/// </summary>
public sealed class ApiMetrics
{
    private readonly Histogram<double> _requests;
    private readonly Counter<long> _bookings;
    private readonly Counter<long> _phiIntegrityFailures;
    private readonly Counter<long> _connectionsRefused;

    public ApiMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(TelemetryNames.ApiMeter);

        // Public requests only (not probes or scrapes): the API autoscaling signal and the 5xx and
        // latency alerts, without depending on how Prometheus labels its jobs.
        _requests = meter.CreateHistogram<double>("clinic.api.request.duration", "s",
            "Public API requests by status class, from the first middleware to the response.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });
        _bookings = meter.CreateCounter<long>("clinic.bookings", "{booking}",
            "Booking requests by outcome: booked, replayed, conflict, rejected, invalid, unavailable, error.");
        _phiIntegrityFailures = meter.CreateCounter<long>("clinic.phi.integrity_failures", "{failure}",
            "Reads of a stored PHI ciphertext that failed authentication (tampered, swapped or wrong key), by record kind.");
        _connectionsRefused = meter.CreateCounter<long>("clinic.api.connections.refused", "{connection}",
            "Connections closed unanswered because their client address already held Connections:MaxConnectionsPerAddress.");
    }

    public void RequestCompleted(int statusCode, TimeSpan duration) =>
        _requests.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("status_class", StatusClass(statusCode)));

    public void Booking(BookingOutcome outcome) =>
        _bookings.Add(1, new KeyValuePair<string, object?>("outcome", outcome.Label()));

    /// <summary>The record kind is a closed set (patient, appointment); anything else is counted as other.</summary>
    public void PhiIntegrityFailure(string record) =>
        _phiIntegrityFailures.Add(1, new KeyValuePair<string, object?>("record", record is "patient" or "appointment" ? record : "other"));

    public void ConnectionRefused() => _connectionsRefused.Add(1);

    private static string StatusClass(int statusCode) => statusCode switch
    {
        < 200 => "1xx",
        < 300 => "2xx",
        < 400 => "3xx",
        < 500 => "4xx",
        _ => "5xx",
    };
}
