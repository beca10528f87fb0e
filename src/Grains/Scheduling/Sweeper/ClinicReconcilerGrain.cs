using ClinicCluster.Common;

namespace ClinicCluster.Scheduling;

/// <summary>Finds the clinic's activated views through the management grain and reconciles each.</summary>
public sealed class ClinicReconcilerGrain(SchedulingMetrics metrics) : Grain, IClinicReconcilerGrain
{
    public async Task<IReadOnlyList<ReconcileFinding>> ReconcileAsync()
    {
        var clinicId = this.GetPrimaryKeyString();
        var findings = new List<ReconcileFinding>();
        foreach (var key in await ActiveKeysAsync(GrainFactory.GetGrain<IProviderScheduleGrain>(Probe(clinicId)), clinicId))
        {
            findings.AddRange(await Reconcile(() => GrainFactory.GetGrain<IProviderScheduleGrain>(key).ReconcileAsync(), "provider-calendar/" + key));
        }

        foreach (var key in await ActiveKeysAsync(GrainFactory.GetGrain<IPatientScheduleGrain>(Probe(clinicId)), clinicId))
        {
            findings.AddRange(await Reconcile(() => GrainFactory.GetGrain<IPatientScheduleGrain>(key).ReconcileAsync(), "patient-calendar/" + key));
        }

        var appointments = new List<ReconcileFinding>();
        foreach (var key in await ActiveKeysAsync(GrainFactory.GetGrain<IAppointmentGrain>(Probe(clinicId)), clinicId))
        {
            appointments.AddRange(await Reconcile(() => GrainFactory.GetGrain<IAppointmentGrain>(key).ReconcileAsync(), "appointment/" + key));
        }

        metrics.Reconciled("appointment", appointments);
        findings.AddRange(appointments);
        return findings;
    }

    /// <summary>A view whose reconciliation failed is reported as unrepaired, not hidden.</summary>
    private static async Task<IReadOnlyList<ReconcileFinding>> Reconcile(Func<Task<IReadOnlyList<ReconcileFinding>>> reconcile, string view)
    {
        try
        {
            return await reconcile();
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            return [new ReconcileFinding(FindingKind.Unreachable, view, "-", Repaired: false)];
        }
    }

    /// <summary>Keys of the activations of <paramref name="probe"/>'s grain type that belong to the clinic.</summary>
    private async Task<List<string>> ActiveKeysAsync(IAddressable probe, string clinicId)
    {
        var management = GrainFactory.GetGrain<IManagementGrain>(0);
        var prefix = clinicId + "/";
        var active = await management.GetActiveGrains(probe.GetGrainId().Type);
        return active.Select(id => id.Key.ToString()!)
            .Where(key => key.StartsWith(prefix, StringComparison.Ordinal) && key != Probe(clinicId))
            .Distinct(StringComparer.Ordinal)
            .ToList();
    }

    // A reference (never called, so never activated) whose id names the grain type.
    private static string Probe(string clinicId) => ClinicScopedKey.Format(clinicId, "-");
}
