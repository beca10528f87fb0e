using System.Diagnostics;
using System.Diagnostics.Metrics;
using ClinicCluster.Telemetry;
using Microsoft.Extensions.Options;

namespace ClinicCluster.Silo.Memory;

/// <summary>
/// Samples the silo's memory every <see cref="MemoryTrimOptions.SampleInterval"/> and, when
/// <see cref="MemoryTrimRule"/> says so, runs one aggressive full collection: blocking, compacting,
/// and decommitting what the heap no longer needs, so the pod's resident memory comes back after a
/// large deactivation (docs/decisions/0055-memory-trim-after-a-large-deactivation.md). Each trim
/// counts in <c>clinic.silo.memory.trims</c> and logs one line with sizes only.
/// </summary>
internal sealed partial class MemoryTrimmer(
    IOptions<MemoryTrimOptions> options,
    DeactivationCounter deactivations,
    IMeterFactory meters,
    ILogger<MemoryTrimmer> logger) : BackgroundService
{
    private const double MiB = 1024 * 1024;

    private readonly Counter<long> _trims = meters.Create(TelemetryNames.SiloMeter).CreateCounter<long>(
        "clinic.silo.memory.trims", "{trim}", "Aggressive full collections run after a large deactivation in an idle silo.");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.Enabled)
        {
            return;
        }

        var rule = new MemoryTrimRule(settings);
        var clock = Stopwatch.StartNew();
        using var timer = new PeriodicTimer(settings.SampleInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var sample = Sample(clock.Elapsed);
                LogSample(sample.AllocatedBytes / MiB, sample.Deactivations, sample.CommittedBytes / MiB, sample.HeapBytes / MiB);
                var reason = rule.Evaluate(sample);
                if (reason != MemoryTrimReason.None)
                {
                    rule.Trimmed(Trim(sample, reason, clock));
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The silo stops.
        }
    }

    private MemorySample Trim(MemorySample before, MemoryTrimReason reason, Stopwatch clock)
    {
        var rssBefore = Environment.WorkingSet;
        var started = clock.Elapsed;
        // Aggressive requires generation 2, blocking and compacting; it also decommits free memory.
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        var after = Sample(clock.Elapsed);
        _trims.Add(1);
        LogTrimmed(reason, (clock.Elapsed - started).TotalMilliseconds, rssBefore / MiB, Environment.WorkingSet / MiB,
            before.CommittedBytes / MiB, after.CommittedBytes / MiB, after.HeapBytes / MiB);
        return after;
    }

    private MemorySample Sample(TimeSpan at)
    {
        var info = GC.GetGCMemoryInfo();
        return new MemorySample(at, GC.GetTotalAllocatedBytes(), deactivations.Deactivations, info.TotalCommittedBytes, info.HeapSizeBytes);
    }

    [LoggerMessage(Level = LogLevel.Debug,
        Message = "Memory sample: {AllocatedMiB:F0} MiB allocated since start, {Deactivations} deactivations, GC committed {CommittedMiB:F0} MiB, heap {HeapMiB:F0} MiB")]
    private partial void LogSample(double allocatedMiB, long deactivations, double committedMiB, double heapMiB);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Memory trim ({Reason}) in {ElapsedMs:F0} ms: resident {RssBeforeMiB:F0} -> {RssAfterMiB:F0} MiB, GC committed {CommittedBeforeMiB:F0} -> {CommittedAfterMiB:F0} MiB, heap in use {HeapMiB:F0} MiB")]
    private partial void LogTrimmed(MemoryTrimReason reason, double elapsedMs, double rssBeforeMiB, double rssAfterMiB,
        double committedBeforeMiB, double committedAfterMiB, double heapMiB);
}
