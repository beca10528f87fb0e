namespace ClinicCluster.Patients;

/// <summary>
/// Where name index partitions keep their snapshot (<see cref="NameIndexSnapshot"/>, encrypted):
/// one value per partition, replaced whole. Losing one costs the next activation time, never data.
/// </summary>
public interface INameIndexSnapshotStore
{
    /// <summary>The partition's encrypted snapshot, or null when it has none.</summary>
    Task<string?> ReadAsync(string partition);

    Task WriteAsync(string partition, int entries, string payload);
}

/// <summary>
/// The embedded default's: its index rows live in memory and go with the silo, so a snapshot would
/// outlive nothing it could speed up.
/// </summary>
public sealed class NoNameIndexSnapshots : INameIndexSnapshotStore
{
    public Task<string?> ReadAsync(string partition) => Task.FromResult<string?>(null);

    public Task WriteAsync(string partition, int entries, string payload) => Task.CompletedTask;
}
