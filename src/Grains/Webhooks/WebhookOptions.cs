using System.ComponentModel.DataAnnotations;

namespace ClinicCluster.Webhooks;

/// <summary>Webhook delivery settings of the silo (section "Webhooks", decision 0046).</summary>
public sealed class WebhookOptions
{
    public const string SectionName = "Webhooks";

    /// <summary>
    /// Lets subscriber URLs resolve to loopback, link-local and private addresses (the SSRF guard is
    /// off). For tests and closed networks only.
    /// </summary>
    public bool AllowPrivateAddresses { get; set; }

    /// <summary>Lets subscriber URLs use plain http (the payload is then readable on the way).</summary>
    public bool AllowHttp { get; set; }

    /// <summary>How often an idle dispatcher looks at its queue.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long one delivery attempt may take before it counts as failed.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan DeliveryTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Deliveries in flight at once to one subscriber (each to a different appointment).</summary>
    [Range(1, 64)]
    public int MaxConcurrencyPerSubscriber { get; set; } = 4;

    /// <summary>Entries a dispatcher reads per round.</summary>
    [Range(1, 1000)]
    public int BatchSize { get; set; } = 100;

    /// <summary>The first retry's delay; each next one doubles, up to <see cref="MaxRetryDelay"/>, with full jitter.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00")]
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long after it was queued a failing event moves to the dead letters.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00")]
    public TimeSpan DeadAfter { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How long a rotated-out secret keeps signing beside the new one.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "30.00:00:00")]
    public TimeSpan SecretOverlap { get; set; } = TimeSpan.FromHours(24);

    [Range(1, 100)]
    public int MaxSubscriptionsPerClinic { get; set; } = 20;

    /// <summary>
    /// How long a delivered event's row is kept (for "did you send it?" questions) before the
    /// retention sweep deletes it (<see cref="WebhookRetention"/>). Dead rows are kept until replayed.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "365.00:00:00")]
    public TimeSpan DeliveredRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How often each subscription's dispatcher sweeps its expired delivered rows.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan RetentionSweepInterval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Delivered rows deleted per statement (one short transaction each).</summary>
    [Range(1, 10000)]
    public int RetentionBatchSize { get; set; } = 1000;
}
