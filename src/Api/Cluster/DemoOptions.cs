namespace ClinicCluster.Api.Cluster;

/// <summary>Development demo data (section "Demo"); ignored outside the Development environment.</summary>
public sealed class DemoOptions
{
    public const string SectionName = "Demo";

    /// <summary>Creates the "demo" clinic, provider and patient at start (<see cref="DemoSeeder"/>).</summary>
    public bool Seed { get; set; }
}
