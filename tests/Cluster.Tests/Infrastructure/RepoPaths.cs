namespace ClinicCluster.Cluster.Tests.Infrastructure;

/// <summary>
/// Where this checkout is, and the git-ignored folders under <c>.tmp</c> the suite writes to:
/// built hosts, per-test process logs and the measured numbers.
/// </summary>
public static class RepoPaths
{
    /// <summary>The repository root (the folder holding Orleans.sln).</summary>
    public static string Root => Repository.Root;

    public static string Tmp => Repository.Tmp;

    /// <summary>Built silo and API (one sub-folder each).</summary>
    public static string Bin => Path.Combine(Tmp, "cluster-bin");

    /// <summary>The build's own obj/bin tree, so it never shares intermediate files with other builds.</summary>
    public static string BuildArtifacts => Path.Combine(Tmp, "cluster-build");

    /// <summary>One folder per test with one log file per process.</summary>
    public static string Logs => Path.Combine(Tmp, "cluster-logs");

    public static string ResultsFile => Path.Combine(Tmp, "cluster-results.json");

    /// <summary>A log folder for one test, emptied first so counts only see this run.</summary>
    public static string LogFolder(string testName)
    {
        var folder = Path.Combine(Logs, testName);
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }

        Directory.CreateDirectory(folder);
        return folder;
    }
}
