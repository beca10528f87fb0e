using System.ComponentModel.DataAnnotations;
using Orleans.Configuration;

namespace ClinicCluster.Silo.Hosting;

/// <summary>
/// When idle grains deactivate and free their memory (section "Silo:GrainCollection"), copied into
/// Orleans' <see cref="GrainCollectionOptions"/>. A setting left unset keeps Orleans' default
/// (a grain idle for 15 min is collected, checked every minute). A patient's working set in memory
/// is the patients touched within <see cref="CollectionAge"/> (docs/capacity.md, idle memory);
/// a shorter age trades memory for reactivations (one state read and decryption each).
/// </summary>
public sealed class SiloGrainCollectionOptions
{
    public const string SectionName = "Silo:GrainCollection";

    /// <summary>How long a grain may sit idle before it is collected.</summary>
    [Range(typeof(TimeSpan), "00:00:10", "1.00:00:00")]
    public TimeSpan? CollectionAge { get; set; }

    /// <summary>How often the collector looks for idle grains; shorter than <see cref="CollectionAge"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan? CollectionQuantum { get; set; }

    /// <summary>How long a deactivation may take (timers stopped, OnDeactivateAsync) before it is given up.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan? DeactivationTimeout { get; set; }

    /// <summary>Collect grains early when the process nears its memory limit (Orleans: off).</summary>
    public bool? EnableActivationSheddingOnMemoryPressure { get; set; }

    /// <summary>Memory use (percent of what the process may use) at which shedding starts.</summary>
    [Range(1, 100)]
    public int? MemoryUsageLimitPercentage { get; set; }

    /// <summary>Memory use that shedding brings the process back to; below the limit.</summary>
    [Range(1, 100)]
    public int? MemoryUsageTargetPercentage { get; set; }

    /// <summary>Copies the settings that are set into Orleans' options.</summary>
    public void ApplyTo(GrainCollectionOptions orleans)
    {
        orleans.CollectionAge = CollectionAge ?? orleans.CollectionAge;
        orleans.CollectionQuantum = CollectionQuantum ?? orleans.CollectionQuantum;
        orleans.DeactivationTimeout = DeactivationTimeout ?? orleans.DeactivationTimeout;
        orleans.EnableActivationSheddingOnMemoryPressure = EnableActivationSheddingOnMemoryPressure ?? orleans.EnableActivationSheddingOnMemoryPressure;
        orleans.MemoryUsageLimitPercentage = MemoryUsageLimitPercentage ?? orleans.MemoryUsageLimitPercentage;
        orleans.MemoryUsageTargetPercentage = MemoryUsageTargetPercentage ?? orleans.MemoryUsageTargetPercentage;
    }
}
