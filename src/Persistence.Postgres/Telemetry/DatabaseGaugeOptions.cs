using System.ComponentModel.DataAnnotations;

namespace ClinicCluster.Persistence.Postgres.Telemetry;

/// <summary>Section "Telemetry" of the silo: how often gauges read from the database.</summary>
public sealed class DatabaseGaugeOptions
{
    public const string SectionName = "Telemetry";

    /// <summary>
    /// The oldest a database-backed gauge (active appointments, audit backlog) may be. Every silo
    /// reads them, so this is a count query per silo per interval.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan DatabaseGaugeInterval { get; set; } = TimeSpan.FromSeconds(30);
}
