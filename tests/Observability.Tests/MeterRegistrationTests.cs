using System.Reflection;
using ClinicCluster.Telemetry;

namespace ClinicCluster.Observability.Tests;

/// <summary>
/// A meter whose name the hosts do not export is never collected (the denial meter was missed once,
/// issue 22): every meter name in <see cref="TelemetryNames"/> is in the list both hosts pass to
/// AddMeter. PrometheusScrapeTests shows a series of each of our meters on a real scrape.
/// </summary>
public sealed class MeterRegistrationTests
{
    [Fact]
    public void Every_meter_named_in_TelemetryNames_is_exported_by_the_hosts()
    {
        var meters = typeof(TelemetryNames).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.Name.EndsWith("Meter", StringComparison.Ordinal))
            .Select(f => (string)f.GetRawConstantValue()!)
            .ToList();

        Assert.Contains(TelemetryNames.ApiSecurityMeter, meters);
        Assert.Equal(meters.Order(StringComparer.Ordinal), TelemetryNames.ExportedMeters.Order(StringComparer.Ordinal));
    }
}
