namespace ClinicCluster.Scheduling;

/// <summary>
/// Reconciles every activated view of one clinic (key: the clinic id) with the ledger: provider
/// and patient calendars and appointment activations. Views that are not activated have nothing
/// to disagree with: they are rebuilt from the ledger when they activate.
/// </summary>
public interface IClinicReconcilerGrain : IGrainWithStringKey
{
    Task<IReadOnlyList<ReconcileFinding>> ReconcileAsync();
}
