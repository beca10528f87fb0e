using System.ComponentModel.DataAnnotations;

namespace ClinicCluster.Silo.Memory;

/// <summary>
/// When an idle silo hands the memory of deactivated grains back to the operating system (section
/// "Silo:MemoryTrim"): every <see cref="SampleInterval"/> the silo samples its allocations, its
/// grain deactivations and its managed heap, and <see cref="MemoryTrimRule"/> decides whether to run
/// one aggressive, compacting, full collection (docs/decisions/0055-memory-trim-after-a-large-deactivation.md).
/// </summary>
public sealed class MemoryTrimOptions
{
    public const string SectionName = "Silo:MemoryTrim";

    /// <summary>Off: the GC alone decides when committed memory is returned (it keeps it while nothing allocates).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How often the silo samples; the idle test spans one sample.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan SampleInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The least time between two trims, so that a trim never repeats in a loop.</summary>
    [Range(typeof(TimeSpan), "00:00:10", "1.00:00:00")]
    public TimeSpan MinimumInterval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// The silo counts as idle while it allocates at most this many MiB a second (over one sample);
    /// a silo serving requests allocates far more, so a trim never pauses traffic.
    /// </summary>
    [Range(1, 1024)]
    public int IdleAllocationMiBPerSecond { get; set; } = 4;

    /// <summary>Grain deactivations since the last trim that make a large deactivation worth a trim.</summary>
    [Range(1, 100_000_000)]
    public int MinimumDeactivations { get; set; } = 10_000;

    /// <summary>
    /// Memory the GC keeps committed beyond the heap its last collection left (MiB) that is worth a
    /// trim without a large deactivation.
    /// </summary>
    [Range(16, 1_048_576)]
    public int MinimumUnusedCommittedMiB { get; set; } = 256;
}
