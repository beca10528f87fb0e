using System.ComponentModel.DataAnnotations;

namespace ClinicCluster.Persistence.Postgres.Audit;

/// <summary>How far ahead the silo keeps monthly audit partitions (section "Audit:Partitions").</summary>
public sealed class AuditPartitionOptions
{
    public const string SectionName = "Audit:Partitions";

    /// <summary>Months after the current one that must exist; an event is never left to the default partition.</summary>
    [Range(1, 120)]
    public int MonthsAhead { get; set; } = 3;

    /// <summary>How often each silo checks (idempotent and serialised in the database, so every silo may run it).</summary>
    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(6);
}
