namespace ClinicCluster.Silo.Memory;

/// <summary>
/// What the silo knows about its memory at one moment: <paramref name="At"/> since the sampler
/// started, bytes allocated since the process started (<c>GC.GetTotalAllocatedBytes</c>), grain
/// deactivations since the process started, and the managed heap as the last collection left it
/// (<c>GCMemoryInfo.TotalCommittedBytes</c> and <c>HeapSizeBytes</c>).
/// </summary>
public readonly record struct MemorySample(TimeSpan At, long AllocatedBytes, long Deactivations, long CommittedBytes, long HeapBytes)
{
    /// <summary>Committed memory the last collection found no objects for.</summary>
    public long UnusedCommittedBytes => Math.Max(0, CommittedBytes - HeapBytes);
}
