using ClinicCluster.Audit;
using ClinicCluster.Persistence.Postgres.Audit;
using ClinicCluster.Silo.Streams;
using Npgsql;
using Orleans.Streams;

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

    /// <summary>
    /// The durable queue: Orleans' ADO.NET streaming provider over orleans.stream_messages (our SQL
    /// in migration 0300). The API's publish returns once the event is a row, so a silo dying
    /// afterwards cannot lose it: unconfirmed leases run out and another silo delivers the event.
    /// Settings come from <see cref="AuditStreamOptions"/> (section "Audit:Stream").
    /// </summary>
    public static ISiloBuilder AddPostgresAuditStreams(this ISiloBuilder silo, NpgsqlDataSource dataSource)
    {
        var options = AuditStreamOptions.Read(silo.Configuration);
        silo.AddAdoNetStreams(AuditStreams.ProviderName, stream =>
        {
            stream.ConfigureAdoNet(adoNet => adoNet.Configure(o => options.ApplyTo(o, dataSource)));
            stream.ConfigurePartitioning(AuditStreamOptions.QueueCount);

            // Hand AuditLogGrain up to DeliveryBatchSize queue rows per call (it appends them in one
            // transaction); one row per call would cap a clinic at one transaction per row.
            stream.ConfigurePullingAgent(agent => agent.Configure(o =>
            {
                o.BatchContainerBatchSize = options.DeliveryBatchSize;
                o.GetQueueMsgsTimerPeriod = options.PollInterval;
            }));

            // AuditLogGrain's implicit subscription is the only consumer, so no pub-sub grain (and
            // no "PubSubStore" state) is needed to find subscribers.
            stream.ConfigureStreamPubSub(StreamPubSubType.ImplicitOnly);
        });
        DecorateQueueAdapterFactory(silo.Services, options.IdlePollMaxTicks);
        silo.Services.AddHostedService<AuditDeadLetterGauge>();
        return silo;
    }

    /// <summary>
    /// Wraps the provider's adapter factory (registered by AddAdoNetStreams, keyed by the provider
    /// name) so its receivers back off on empty queues: 8 queues polled 10 times a second were 80
    /// PostgreSQL transactions/s on an idle cluster (decision 0019).
    /// </summary>
    private static void DecorateQueueAdapterFactory(IServiceCollection services, int maxIntervalTicks)
    {
        var registered = services.Single(d => d.ServiceType == typeof(IQueueAdapterFactory)
            && d.IsKeyedService && Equals(d.ServiceKey, AuditStreams.ProviderName));
        var create = registered.KeyedImplementationFactory
            ?? throw new InvalidOperationException("The audit stream's queue adapter factory is not registered by a factory.");
        services.Remove(registered);
        services.AddKeyedSingleton<IQueueAdapterFactory>(AuditStreams.ProviderName,
            (provider, key) => new IdleBackoffQueueAdapterFactory((IQueueAdapterFactory)create(provider, key), maxIntervalTicks));
    }
}
