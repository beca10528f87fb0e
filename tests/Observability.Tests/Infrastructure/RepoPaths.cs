namespace ClinicCluster.Observability.Tests.Infrastructure;

/// <summary>The checkout (recorded at build time) and this suite's git-ignored artifact folder.</summary>
public static class RepoPaths
{
    public static string Root => Repository.Root;

    /// <summary>.tmp/observability: Prometheus data, screenshots, generated configuration.</summary>
    public static string Artifacts { get; } = Path.Combine(Root, ".tmp", "observability");

    public static string PrometheusFiles => Path.Combine(Root, "deploy", "helm", "clinic-cluster", "files", "prometheus");

    /// <summary>A fresh folder under the artifacts for one use.</summary>
    public static string NewFolder(string name)
    {
        var folder = Path.Combine(Artifacts, name);
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }

        Directory.CreateDirectory(folder);
        return folder;
    }
}
