using ClinicCluster.Silo.Memory;

namespace ClinicCluster.Storage.Tests;

/// <summary>When an idle silo trims its memory after a large deactivation (decision 0055, issue 21).</summary>
public sealed class MemoryTrimRuleTests
{
    private const long MiB = 1024 * 1024;

    private static readonly MemoryTrimOptions Options = new()
    {
        IdleAllocationMiBPerSecond = 8,
        MinimumInterval = TimeSpan.FromMinutes(10),
        MinimumDeactivations = 10_000,
        MinimumUnusedCommittedMiB = 256,
    };

    [Fact]
    public void An_idle_silo_trims_once_a_large_deactivation_is_over()
    {
        var rule = Primed(Sample(0, allocatedMiB: 1000, deactivations: 0));

        // 9,000 then 1,000 more within a sample: the wave goes on (a tenth of 10,000 is not below 1,000).
        Assert.Equal(MemoryTrimReason.None, rule.Evaluate(Sample(30, allocatedMiB: 1030, deactivations: 9_000)));
        Assert.Equal(MemoryTrimReason.None, rule.Evaluate(Sample(60, allocatedMiB: 1060, deactivations: 10_000)));
        Assert.Equal(MemoryTrimReason.Deactivations, rule.Evaluate(Sample(90, allocatedMiB: 1090, deactivations: 10_999)));
    }

    [Fact]
    public void The_first_sample_only_sets_the_baseline()
    {
        var rule = new MemoryTrimRule(Options);

        Assert.Equal(MemoryTrimReason.None, rule.Evaluate(Sample(30, allocatedMiB: 0, deactivations: 50_000, unusedMiB: 1000)));
    }

    [Fact]
    public void A_busy_silo_is_not_trimmed()
    {
        var rule = Primed(Sample(0, allocatedMiB: 1000, deactivations: 0));

        // 9 MiB a second over 30 s: above the idle rate of 8.
        Assert.Equal(MemoryTrimReason.None, rule.Evaluate(Sample(30, allocatedMiB: 1270, deactivations: 50_000, unusedMiB: 1000)));
        Assert.Equal(MemoryTrimReason.None, rule.Evaluate(Sample(60, allocatedMiB: 1540, deactivations: 50_000, unusedMiB: 1000)));
        // 8 MiB a second: idle enough.
        Assert.Equal(MemoryTrimReason.Deactivations, rule.Evaluate(Sample(90, allocatedMiB: 1780, deactivations: 50_000)));
    }

    [Fact]
    public void Few_deactivations_and_little_unused_memory_are_not_worth_a_trim()
    {
        var rule = Primed(Sample(0, allocatedMiB: 0, deactivations: 0));

        Assert.Equal(MemoryTrimReason.None, rule.Evaluate(Sample(30, allocatedMiB: 1, deactivations: 9_999, unusedMiB: 255)));
    }

    [Fact]
    public void Much_unused_committed_memory_is_trimmed_without_deactivations()
    {
        var rule = Primed(Sample(0, allocatedMiB: 0, deactivations: 0));

        Assert.Equal(MemoryTrimReason.UnusedCommitted, rule.Evaluate(Sample(30, allocatedMiB: 1, deactivations: 0, unusedMiB: 256)));
    }

    [Fact]
    public void Trims_are_at_least_the_minimum_interval_apart_and_count_deactivations_afresh()
    {
        var rule = Primed(Sample(0, allocatedMiB: 0, deactivations: 20_000));
        Assert.Equal(MemoryTrimReason.Deactivations, rule.Evaluate(Sample(30, allocatedMiB: 1, deactivations: 20_000)));
        rule.Trimmed(Sample(31, allocatedMiB: 2, deactivations: 20_000));

        // Within ten minutes of the trim nothing is trimmed, however much is unused.
        Assert.Equal(MemoryTrimReason.None, rule.Evaluate(Sample(60, allocatedMiB: 3, deactivations: 25_000, unusedMiB: 2000)));
        Assert.Equal(MemoryTrimReason.None, rule.Evaluate(Sample(630, allocatedMiB: 4, deactivations: 25_000, unusedMiB: 2000)));
        // Afterwards the deactivations since the trim count: 9,999 are not enough, 10,000 are.
        Assert.Equal(MemoryTrimReason.None, rule.Evaluate(Sample(631, allocatedMiB: 5, deactivations: 29_999)));
        Assert.Equal(MemoryTrimReason.Deactivations, rule.Evaluate(Sample(660, allocatedMiB: 6, deactivations: 30_000)));
    }

    [Fact]
    public void The_trims_own_allocations_do_not_count_against_the_next_idle_test()
    {
        var rule = Primed(Sample(0, allocatedMiB: 0, deactivations: 0));
        rule.Trimmed(Sample(30, allocatedMiB: 10_000, deactivations: 0));

        Assert.Equal(MemoryTrimReason.UnusedCommitted, rule.Evaluate(Sample(631, allocatedMiB: 10_001, deactivations: 0, unusedMiB: 300)));
    }

    private static MemoryTrimRule Primed(MemorySample first)
    {
        var rule = new MemoryTrimRule(Options);
        Assert.Equal(MemoryTrimReason.None, rule.Evaluate(first));
        return rule;
    }

    private static MemorySample Sample(int seconds, long allocatedMiB, long deactivations, long unusedMiB = 0) =>
        new(TimeSpan.FromSeconds(seconds), allocatedMiB * MiB, deactivations, CommittedBytes: (400 + unusedMiB) * MiB, HeapBytes: 400 * MiB);
}
