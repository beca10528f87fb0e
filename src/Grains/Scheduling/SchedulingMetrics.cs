using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using ClinicCluster.Telemetry;

namespace ClinicCluster.Scheduling;

/// <summary>
/// The scheduling meter (<see cref="TelemetryNames.SchedulingMeter"/>): reconciliation runs,
/// findings by kind, repairs, and the sweeper's transitions. Labels are kinds and views, never ids or patient details.
/// </summary>
public sealed class SchedulingMetrics
{
    private readonly Counter<long> _runs;
    private readonly Counter<long> _findings;
    private readonly Counter<long> _repairs;
    private readonly Counter<long> _swept;
    private readonly ConcurrentDictionary<string, int> _unclosed = new(StringComparer.Ordinal);

    public SchedulingMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(TelemetryNames.SchedulingMeter);
        _runs = meter.CreateCounter<long>("clinic.scheduling.reconciliation.runs", description: "Reconciliations of a view with the ledger.");
        _findings = meter.CreateCounter<long>("clinic.scheduling.reconciliation.findings", description: "Differences found between a view and the ledger.");
        _repairs = meter.CreateCounter<long>("clinic.scheduling.reconciliation.repairs", description: "Differences repaired to the ledger.");
        _swept = meter.CreateCounter<long>("clinic.scheduling.sweeper.transitions", description: "No-shows marked and due-soon notices given by the sweepers.");
        // One sum over the clinics swept on this silo: a clinic id is no label (labels are kinds).
        meter.CreateObservableGauge("clinic.scheduling.visits.unclosed", () => _unclosed.Values.Sum(),
            description: "Checked-in visits still open after their clinic day ended, as the last sweep of each clinic found them.");
    }

    public void Reconciled(string view, IReadOnlyCollection<ReconcileFinding> findings)
    {
        _runs.Add(1, new KeyValuePair<string, object?>("view", view));
        foreach (var finding in findings)
        {
            var kind = new KeyValuePair<string, object?>("kind", finding.Kind.ToString());
            _findings.Add(1, kind, new KeyValuePair<string, object?>("view", view));
            if (finding.Repaired)
            {
                _repairs.Add(1, kind, new KeyValuePair<string, object?>("view", view));
            }
        }
    }

    /// <summary>What the clinic's latest sweep found open past its clinic day.</summary>
    public void Unclosed(string clinicId, int count)
    {
        if (count == 0)
        {
            _unclosed.TryRemove(clinicId, out _);
        }
        else
        {
            _unclosed[clinicId] = count;
        }
    }

    public void Swept(string transition, int count)
    {
        if (count > 0)
        {
            _swept.Add(count, new KeyValuePair<string, object?>("transition", transition));
        }
    }
}
