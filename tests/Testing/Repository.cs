using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

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
        var candidates = new List<string?> { Environment.GetEnvironmentVariable("CLINIC_REPO_ROOT"), RecordedRoot() };
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            candidates.Add(directory.FullName);
        }

        return candidates.FirstOrDefault(c => c is not null && File.Exists(Path.Combine(c, "Orleans.sln")))
            ?? throw new InvalidOperationException("Cannot find the repository root (Orleans.sln); set CLINIC_REPO_ROOT.");
    }

    /// <summary>
    /// The [AssemblyMetadata("RepositoryRoot", ...)] of this library, read from its metadata and
    /// not through reflection: reflection resolves every attribute type of the assembly, and the
    /// Orleans ones are missing where the silo is not referenced (Cluster.Tests).
    /// </summary>
    private static string? RecordedRoot()
    {
        using var stream = File.OpenRead(typeof(Repository).Assembly.Location);
        using var pe = new PEReader(stream);
        var metadata = pe.GetMetadataReader();
        foreach (var handle in metadata.GetAssemblyDefinition().GetCustomAttributes())
        {
            var attribute = metadata.GetCustomAttribute(handle);
            if (attribute.Constructor.Kind != HandleKind.MemberReference
                || metadata.GetMemberReference((MemberReferenceHandle)attribute.Constructor).Parent is not { Kind: HandleKind.TypeReference } parent
                || metadata.GetString(metadata.GetTypeReference((TypeReferenceHandle)parent).Name) != "AssemblyMetadataAttribute")
            {
                continue;
            }

            var value = metadata.GetBlobReader(attribute.Value);
            value.ReadUInt16(); // prolog
            if (value.ReadSerializedString() == "RepositoryRoot")
            {
                return value.ReadSerializedString();
            }
        }

        return null;
    }
}
