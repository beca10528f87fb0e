using System.Diagnostics.Metrics;
using ClinicCluster.Telemetry;

namespace ClinicCluster.Api.Audit;

/// <summary>
/// Counts refusals at the edge: denials (401/403 on audited endpoints, recorded one by one or
/// folded into a counted event) and rate-limited requests. Labels are fixed words, never ids.
/// </summary>
public sealed class DenialMetrics
{
    private readonly Counter<long> _denials;
    private readonly Counter<long> _rateLimited;

    public DenialMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(TelemetryNames.ApiSecurityMeter);
        _denials = meter.CreateCounter<long>("clinic.api.denials", "{request}", "Requests refused for a missing or bad token (401) or a missing permission (403).");
        _rateLimited = meter.CreateCounter<long>("clinic.api.rate_limited", "{request}", "Requests refused with 429.");
    }

    public void Denied(int status, bool aggregated) =>
        _denials.Add(1, new KeyValuePair<string, object?>("status", status == StatusCodes.Status401Unauthorized ? "401" : "403"),
            new KeyValuePair<string, object?>("recorded", aggregated ? "aggregated" : "individual"));

    public void RateLimited(bool authenticated) =>
        _rateLimited.Add(1, new KeyValuePair<string, object?>("caller", authenticated ? "authenticated" : "anonymous"));
}
