namespace ClinicCluster.Api.Cluster;

/// <summary>How often, and after which pauses, the API repeats a request whose grain call failed transiently (section "ClusterRetry").</summary>
public sealed class ClusterRetryOptions
{
    public const string SectionName = "ClusterRetry";

    /// <summary>The resilience pipeline's name (<see cref="Polly.Registry.ResiliencePipelineProvider{TKey}"/>).</summary>
    public const string PipelineName = "cluster-retry";

    /// <summary>
    /// The pause before each retry; as many retries as entries. The defaults add up to 3.5 s: long
    /// enough for a grain to reactivate on a surviving silo after a crash or a rolling update.
    /// </summary>
    public static IReadOnlyList<TimeSpan> DefaultDelays { get; } =
        [TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(400), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)];

    /// <summary>
    /// Empty until bound; <see cref="DefaultDelays"/> when nothing is configured. (The binder
    /// appends configured entries to a list's initial ones, so the defaults cannot sit here.)
    /// </summary>
    public List<TimeSpan> Delays { get; set; } = [];
}
