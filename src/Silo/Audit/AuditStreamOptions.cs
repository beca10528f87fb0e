using System.ComponentModel.DataAnnotations;
using ClinicCluster.Silo.Persistence;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace ClinicCluster.Silo.Audit;

/// <summary>
/// How the durable audit stream delivers (section "Audit:Stream"; docs/audit.md "Stream settings").
/// The defaults are chosen so an audit event is never dropped in normal operation: it is retried
/// for a long time, and one that still cannot be delivered is kept as a dead letter.
/// </summary>
public sealed class AuditStreamOptions
{
    public const string SectionName = "Audit:Stream";

    /// <summary>
    /// Orleans queues (rows' queue_id) the audit streams are spread over. The API picks a queue by
    /// the same count, so it is fixed in code on both sides: a mismatch would strand events in a
    /// queue no silo reads. One queue is plenty for audit traffic.
    /// </summary>
    public const int QueueCount = 1;

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

    /// <summary>Binds and validates the section; a bad value stops the host with its setting's name.</summary>
    public static AuditStreamOptions Read(IConfiguration configuration)
    {
        var options = new AuditStreamOptions();
        configuration.GetSection(SectionName).Bind(options);
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true))
        {
            throw new OptionsValidationException(SectionName, typeof(AuditStreamOptions),
                results.Select(r => $"{SectionName}:{string.Join(",", r.MemberNames)}: {r.ErrorMessage}"));
        }

        return options;
    }

    /// <summary>The provider's options on PostgreSQL. Dead letters are never removed by our SQL, whatever its removal timeout.</summary>
    public void ApplyTo(AdoNetStreamOptions adoNet, string connectionString)
    {
        adoNet.Invariant = PostgresSchema.Invariant;
        adoNet.ConnectionString = connectionString;
        adoNet.MaxAttempts = MaxAttempts;
        adoNet.VisibilityTimeout = VisibilityTimeout;
        adoNet.ExpiryTimeout = ExpiryTimeout;
        adoNet.EvictionInterval = EvictionInterval;
    }
}
