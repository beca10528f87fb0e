using System.ComponentModel.DataAnnotations;
using ClinicCluster.Audit;
using ClinicCluster.Persistence.Postgres;
using ClinicCluster.ServiceDefaults;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace ClinicCluster.Silo.Streams;

/// <summary>
/// How the durable audit stream delivers (section "Audit:Stream"; docs/audit.md "Stream settings").
/// The defaults are chosen so an audit event is never dropped in normal operation: it is retried
/// for a long time, and one that still cannot be delivered is kept as a dead letter.
/// </summary>
public sealed class AuditStreamOptions : IValidatableObject
{
    public const string SectionName = "Audit:Stream";

    /// <summary>The queues the audit streams are spread over: <see cref="AuditStreams.QueueCount"/>.</summary>
    public const int QueueCount = AuditStreams.QueueCount;

    /// <summary>
    /// Leases of an event before it goes to the dead letters. A failing consumer is retried by the
    /// pulling agent for a minute per lease, and the next lease starts when the last one ends, so
    /// 20 leases of 2 minutes ride out about 40 minutes of consumer failure.
    /// </summary>
    [Range(1, 1000)]
    public int MaxAttempts { get; set; } = 20;

    /// <summary>
    /// How long a silo holds a leased event before another may take it: what a dying silo's
    /// in-flight events wait before redelivery. Longer than the agent's one-minute delivery retry,
    /// so a slow delivery is not handed out twice.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan VisibilityTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Age at which an undelivered event is moved to the dead letters regardless of attempts. Set
    /// by the publisher (the API reads the same key). Far beyond any outage we plan to ride out.
    /// </summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "365.00:00:00")]
    public TimeSpan ExpiryTimeout { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How often (cluster-wide, per queue) spent events are moved to the dead letters.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan EvictionInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Queue rows (each the events of many API requests) handed to a clinic's log grain in one
    /// delivery and appended in one transaction. Bigger batches mean fewer transactions under load;
    /// under light load a delivery simply holds what is there.
    /// </summary>
    [Range(1, 1024)]
    public int DeliveryBatchSize { get; set; } = 64;

    /// <summary>
    /// How often each queue's pulling agent reads its queue: the floor of the audit lag at light
    /// load, and one cheap query per queue and period when idle.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:00:10")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// The longest a queue that keeps answering nothing waits between two reads (decision 0019):
    /// from <see cref="PollInterval"/> the wait doubles on each empty read up to this, and the first
    /// read that finds events returns to <see cref="PollInterval"/>. It is the worst added audit lag
    /// after a quiet spell, so it must stay well under the 2 s lag target; at least PollInterval.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:00:10")]
    public TimeSpan IdlePollMaxInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The back-off's ceiling in pulling-agent ticks (one tick per <see cref="PollInterval"/>).</summary>
    public int IdlePollMaxTicks => (int)Math.Ceiling(IdlePollMaxInterval / PollInterval);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (IdlePollMaxInterval < PollInterval)
        {
            yield return new ValidationResult($"must be at least {nameof(PollInterval)} ({PollInterval}).", [nameof(IdlePollMaxInterval)]);
        }
    }

    /// <summary>Binds and validates the section; a bad value stops the host with its setting's name.</summary>
    public static AuditStreamOptions Read(IConfiguration configuration) => ConfiguredOptions.Read<AuditStreamOptions>(configuration, SectionName);

    /// <summary>The provider's options on PostgreSQL. Dead letters are never removed by our SQL, whatever its removal timeout.</summary>
    public void ApplyTo(AdoNetStreamOptions adoNet, System.Data.Common.DbDataSource dataSource)
    {
        adoNet.Invariant = PostgresSchema.Invariant;
        adoNet.DataSource = dataSource;
        adoNet.MaxAttempts = MaxAttempts;
        adoNet.VisibilityTimeout = VisibilityTimeout;
        adoNet.ExpiryTimeout = ExpiryTimeout;
        adoNet.EvictionInterval = EvictionInterval;
    }
}
