using System.ComponentModel.DataAnnotations;

namespace ClinicCluster.Api.Cluster;

/// <summary>
/// The one setting of the durable audit stream that the publisher, not the silo, applies (section
/// "Audit:Stream", the silos' AuditStreamOptions section): the age at which an undelivered event
/// becomes a dead letter, stamped on each event as it is published. Same key, default and range as
/// the silo's, so one value configures both hosts.
/// </summary>
public sealed class AuditPublishOptions
{
    public const string SectionName = "Audit:Stream";

    [Range(typeof(TimeSpan), "1.00:00:00", "365.00:00:00")]
    public TimeSpan ExpiryTimeout { get; set; } = TimeSpan.FromDays(30);
}
