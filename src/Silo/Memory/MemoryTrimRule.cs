namespace ClinicCluster.Silo.Memory;

/// <summary>
/// Decides from successive <see cref="MemorySample"/>s when an idle silo should run one aggressive
/// full collection (docs/decisions/0055-memory-trim-after-a-large-deactivation.md). A trim is due
/// when all of these hold:
/// <list type="bullet">
/// <item>the silo is idle: since the previous sample it allocated at most
/// <see cref="MemoryTrimOptions.IdleAllocationMiBPerSecond"/> (a collection then pauses no request,
/// and an idle process is exactly the one whose GC will not run by itself);</item>
/// <item>at least <see cref="MemoryTrimOptions.MinimumInterval"/> passed since the last trim;</item>
/// <item>there is memory to return: at least <see cref="MemoryTrimOptions.MinimumDeactivations"/>
/// grains deactivated since the last trim and the wave is over (the last sample saw fewer than a
/// tenth of that: a trim in the middle of it would compact grains about to die, pausing longer and
/// returning less), or the GC keeps at least
/// <see cref="MemoryTrimOptions.MinimumUnusedCommittedMiB"/> committed beyond what its last
/// collection found in use.</item>
/// </list>
/// The first sample only sets the baseline. Not thread-safe: one sampler owns it.
/// </summary>
public sealed class MemoryTrimRule(MemoryTrimOptions options)
{
    private const long MiB = 1024 * 1024;
    private MemorySample? _previous;
    private TimeSpan? _lastTrim;
    private long _deactivationsAtLastTrim;

    /// <summary>Takes the next sample and says whether (and why) to trim now.</summary>
    public MemoryTrimReason Evaluate(MemorySample sample)
    {
        var previous = _previous;
        _previous = sample;
        if (previous is not { } before || sample.At <= before.At)
        {
            return MemoryTrimReason.None;
        }

        var allocatedPerSecond = (sample.AllocatedBytes - before.AllocatedBytes) / (sample.At - before.At).TotalSeconds;
        if (allocatedPerSecond > options.IdleAllocationMiBPerSecond * MiB)
        {
            return MemoryTrimReason.None;
        }

        if (_lastTrim is { } last && sample.At - last < options.MinimumInterval)
        {
            return MemoryTrimReason.None;
        }

        if (sample.Deactivations - _deactivationsAtLastTrim >= options.MinimumDeactivations
            && sample.Deactivations - before.Deactivations < options.MinimumDeactivations / 10.0)
        {
            return MemoryTrimReason.Deactivations;
        }

        return sample.UnusedCommittedBytes >= options.MinimumUnusedCommittedMiB * MiB
            ? MemoryTrimReason.UnusedCommitted
            : MemoryTrimReason.None;
    }

    /// <summary>
    /// Records a trim that ran, with the sample taken after it: the interval and the deactivations
    /// count from here, and the trim's own allocations do not count against the next idle test.
    /// </summary>
    public void Trimmed(MemorySample after)
    {
        _lastTrim = after.At;
        _deactivationsAtLastTrim = after.Deactivations;
        _previous = after;
    }
}
