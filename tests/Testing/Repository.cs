using System.Reflection;

namespace ClinicCluster.Testing;

/// <summary>
/// Where this checkout is: the scripts (postgres.sh), the host projects a suite builds, and the
/// git-ignored <c>.tmp</c> folder the suites write to.
/// </summary>
public static class Repository
{
    private static readonly Lazy<string> RootValue = new(FindRoot);

    /// <summary>The repository root (the folder holding Orleans.sln).</summary>
    public static string Root => RootValue.Value;

    /// <summary>The git-ignored scratch folder of the suites.</summary>
    public static string Tmp => Path.Combine(Root, ".tmp");

    /// <summary>
    /// CLINIC_REPO_ROOT if set, else the root recorded when this library was built (the test
    /// output may be anywhere: --artifacts-path), else the first folder above the test binaries
    /// that holds Orleans.sln.
    /// </summary>
    private static string FindRoot()
    {
        var candidates = new List<string?>
        {
            Environment.GetEnvironmentVariable("CLINIC_REPO_ROOT"),
            typeof(Repository).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
                .FirstOrDefault(a => a.Key == "RepositoryRoot")?.Value,
        };
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            candidates.Add(directory.FullName);
        }

        return candidates.FirstOrDefault(c => c is not null && File.Exists(Path.Combine(c, "Orleans.sln")))
            ?? throw new InvalidOperationException("Cannot find the repository root (Orleans.sln); set CLINIC_REPO_ROOT.");
    }
}
