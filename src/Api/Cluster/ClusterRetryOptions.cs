namespace ClinicCluster.Api.Cluster;

/// <summary>How often, and after which pauses, the API repeats a request whose grain call failed transiently (section "ClusterRetry").</summary>
public sealed class ClusterRetryOptions
{
    public const string SectionName = "ClusterRetry";

    /// <summary>The resilience pipeline's name (<see cref="Polly.Registry.ResiliencePipelineProvider{TKey}"/>).</summary>
    public const string PipelineName = "cluster-retry";

    /// <summary>
    /// The pause before each retry; at most as many retries as entries, and only within
    /// <see cref="MaxElapsed"/>. Short and many: a grain reactivates on a survivor as soon as the
    /// dead silo is declared dead (about 3 s after a crash, Silo:Membership), and a retry that
    /// waits longer than that only adds to the request's time.
    /// </summary>
    public static IReadOnlyList<TimeSpan> DefaultDelays { get; } =
    [
        TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(400),
        TimeSpan.FromMilliseconds(800), TimeSpan.FromSeconds(1),
    ];

    /// <summary>
    /// Empty until bound; <see cref="DefaultDelays"/> when nothing is configured. (The binder
    /// appends configured entries to a list's initial ones, so the defaults cannot sit here.)
    /// </summary>
    public List<TimeSpan> Delays { get; set; } = [];

    /// <summary>
    /// No retry starts later than this after the request's first attempt began (its delay
    /// included), so a repeatable request is answered, or refused with 503 and Retry-After, within
    /// this plus one Cluster:ResponseTimeout: 2.5 s + 2 s by default (issue 20: slowest request
    /// over a failover at most 5 s; decision 0038).
    /// </summary>
    public TimeSpan MaxElapsed { get; set; } = TimeSpan.FromSeconds(2.5);
}
