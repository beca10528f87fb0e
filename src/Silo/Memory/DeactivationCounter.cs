namespace ClinicCluster.Silo.Memory;

/// <summary>
/// Counts grain deactivations in this silo, as Orleans' activation working set reports them (once
/// per activation, when it starts deactivating): the cheap signal that much grain memory has just
/// become garbage.
/// </summary>
public sealed class DeactivationCounter : IActivationWorkingSetObserver
{
    private long _deactivations;

    /// <summary>Deactivations since the silo started.</summary>
    public long Deactivations => Interlocked.Read(ref _deactivations);

    public void OnDeactivating(IActivationWorkingSetMember member) => Interlocked.Increment(ref _deactivations);
}
