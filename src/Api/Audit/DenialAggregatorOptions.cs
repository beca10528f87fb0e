using System.ComponentModel.DataAnnotations;

namespace ClinicCluster.Api.Audit;

/// <summary>How repeated denials are folded into counted audit events (section "Audit:Denials").</summary>
public sealed class DenialAggregatorOptions
{
    public const string SectionName = "Audit:Denials";

    /// <summary>After the first denial of a source is recorded, the next ones within this window are counted into one event.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Distinct sources tracked at once; beyond it denials are grouped by clinic and operation only.</summary>
    [Range(100, 1_000_000)]
    public int MaxSources { get; set; } = 10_000;
}
