using System.Diagnostics.Metrics;
using ClinicCluster.Telemetry;

namespace ClinicCluster.Silo.Telemetry;

/// <summary>
/// Cluster membership as this silo sees it (meter ClinicCluster.Silo): <c>clinic.cluster.silos</c>
/// by status (the silo down alert) and <c>clinic.cluster.membership.changes</c>, every status change
/// observed (the churn alert). Statuses are Orleans' own few values, lower case.
/// </summary>
internal sealed class MembershipMetrics : BackgroundService
{
    private readonly IClusterMembershipService _membership;
    private readonly Counter<long> _changes;

    public MembershipMetrics(IClusterMembershipService membership, IMeterFactory meters)
    {
        _membership = membership;
        var meter = meters.Create(TelemetryNames.SiloMeter);
        meter.CreateObservableGauge("clinic.cluster.silos", ObserveSilos, "{silo}",
            "Silos in the membership table by status, as this silo sees them.");
        _changes = meter.CreateCounter<long>("clinic.cluster.membership.changes", "{change}",
            "Silo status changes this silo observed (joins, shutdowns, deaths).");
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var previous = _membership.CurrentSnapshot;
        try
        {
            await foreach (var snapshot in _membership.MembershipUpdates.WithCancellation(stoppingToken))
            {
                foreach (var change in snapshot.CreateUpdate(previous).Changes)
                {
                    // A silo that was dead before this one ever saw it (old rows in the membership
                    // table, read at start) is history, not churn.
                    if (change.Status == SiloStatus.Dead && !previous.Members.ContainsKey(change.SiloAddress))
                    {
                        continue;
                    }

                    _changes.Add(1, new KeyValuePair<string, object?>("status", Status(change.Status)));
                }

                previous = snapshot;
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The silo stops.
        }
    }

    private static string Status(SiloStatus status) => status.ToString().ToLowerInvariant();

    private IEnumerable<Measurement<int>> ObserveSilos() =>
        _membership.CurrentSnapshot.Members.Values
            .GroupBy(member => member.Status)
            .Select(group => new Measurement<int>(group.Count(), new KeyValuePair<string, object?>("status", Status(group.Key))));
}
