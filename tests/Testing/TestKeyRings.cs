using System.Text.Json;
using ClinicCluster.Security;

namespace ClinicCluster.Testing;

/// <summary>Key ring files the test silos mount, as a Secret would be mounted in production.</summary>
public static class TestKeyRings
{
    public const string ActiveKeyId = "test-1";

    private static readonly string Folder = Directory.CreateTempSubdirectory("clinic-keys-").FullName;

    /// <summary>The first KEK and the blind-index key of <see cref="PhiRingFile"/>, for rotation tests.</summary>
    public static string PhiKey { get; } = KeyRing.NewKeyBase64();

    public static string PhiIndexKey { get; } = KeyRing.NewKeyBase64();

    /// <summary>One PHI key ring for every silo of this test run, so a restarted silo reads what the last one wrote.</summary>
    public static string PhiRingFile { get; } = Write("phi", ActiveKeyId, [(ActiveKeyId, PhiKey)], PhiIndexKey);

    public const string ChainKeyId = "chain-1";

    public static string ChainKey { get; } = KeyRing.NewKeyBase64();

    /// <summary>The audit chain key ring of the test silos and of the tamper tests.</summary>
    public static string ChainRingFile { get; } = Write("chain", ChainKeyId, [(ChainKeyId, ChainKey)], indexKey: null);

    public static ClinicCluster.Audit.AuditChainKeys ChainKeys { get; } =
        new(KeyRing.Load(ChainRingFile, "Audit:ChainKeyFile", requireIndexKey: false));

    /// <summary>Writes a key ring file and returns its path.</summary>
    public static string Write(string name, string activeKeyId, IEnumerable<(string Id, string Key)> keys, string? indexKey)
    {
        var path = Path.Combine(Folder, $"{name}-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, JsonSerializer.Serialize(new
        {
            activeKeyId,
            keys = keys.ToDictionary(k => k.Id, k => k.Key),
            indexKey,
        }));
        return path;
    }
}
