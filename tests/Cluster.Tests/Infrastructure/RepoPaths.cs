using System.Reflection;

namespace ClinicCluster.Cluster.Tests.Infrastructure;

/// <summary>
/// Where this checkout is, and the git-ignored folders under <c>.tmp</c> the suite writes to:
/// built hosts, per-test process logs and the measured numbers.
/// </summary>
public static class RepoPaths
{
    private static readonly Lazy<string> RootValue = new(FindRoot);

    /// <summary>The repository root (the folder holding Orleans.sln).</summary>
    public static string Root => RootValue.Value;

    public static string Tmp => Path.Combine(Root, ".tmp");

    /// <summary>Built silo and API (one sub-folder each).</summary>
    public static string Bin => Path.Combine(Tmp, "cluster-bin");

    /// <summary>The build's own obj/bin tree, so it never shares intermediate files with other builds.</summary>
    public static string BuildArtifacts => Path.Combine(Tmp, "cluster-build");

    /// <summary>One folder per test with one log file per process.</summary>
    public static string Logs => Path.Combine(Tmp, "cluster-logs");

    /// <summary>Process ids of running children, so a later run can end what a crashed run left behind.</summary>
    public static string Pids => Path.Combine(Tmp, "cluster-pids");

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

    private static string FindRoot()
    {
        var candidates = new List<string?>
        {
            Environment.GetEnvironmentVariable("CLINIC_REPO_ROOT"),
            typeof(RepoPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
                .FirstOrDefault(a => a.Key == "RepositoryRoot")?.Value,
        };

        // Fallback: walk up from the test binaries (a build without --artifacts-path lands inside the checkout).
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            candidates.Add(dir.FullName);
        }

        return candidates.FirstOrDefault(c => c is not null && File.Exists(Path.Combine(c, "Orleans.sln")))
            ?? throw new InvalidOperationException("Cannot find the repository root (Orleans.sln); set CLINIC_REPO_ROOT.");
    }
}
