using ClinicCluster.Audit;

namespace ClinicCluster.Silo.Hosting;

/// <summary>The audit stream provider on the silo side: where audit events queue and who pulls them.</summary>
public static class AuditStreamingExtensions
{
    /// <summary>
    /// The embedded default: memory queues hosted by grains. Events survive only as long as the
    /// silo holding the queue, which is acceptable only because the embedded default keeps all
    /// state in memory anyway.
    /// </summary>
    public static ISiloBuilder AddMemoryAuditStreams(this ISiloBuilder silo)
    {
        silo.AddMemoryStreams(AuditStreams.ProviderName);
        silo.AddMemoryGrainStorage("PubSubStore");
        return silo;
    }
}
