namespace ClinicCluster.Patients;

/// <summary>
/// Lets at most <see cref="Slots"/> name index snapshots be built and written at once per silo
/// (decision 0060). A shutdown deactivates every partition together, and a 100,000-patient
/// partition holds some 50 MB of serialized and encrypted text while it writes.
/// </summary>
public sealed class NameIndexSnapshotGate : IDisposable
{
    public const int Slots = 2;

    private readonly SemaphoreSlim _slots = new(Slots, Slots);

    public async Task<T> RunAsync<T>(Func<Task<T>> work)
    {
        await _slots.WaitAsync();
        try
        {
            return await work();
        }
        finally
        {
            _slots.Release();
        }
    }

    public void Dispose() => _slots.Dispose();
}
