using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ClinicCluster.Audit;

namespace ClinicCluster.Persistence.Postgres.Audit;

/// <summary>
/// A clinic's chain head as it was at <see cref="WrittenAt"/>, signed with a chain key: kept outside
/// the database, it anchors the chain, so dropping or rewriting the tail behind it is detected even
/// by someone who could recompute every hash.
/// </summary>
public sealed record AuditCheckpoint(string ClinicId, long Sequence, string Hash, DateTimeOffset WrittenAt, string KeyId, string Signature);

/// <summary>Signed checkpoints, one JSON file per clinic in <c>Audit:CheckpointDirectory</c>.</summary>
public sealed class AuditCheckpoints(string directory, AuditChainKeys keys)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public AuditCheckpoint Sign(string clinicId, long sequence, string hash, DateTimeOffset writtenAt)
    {
        var key = keys.Active;
        var at = AuditChain.ToMicroseconds(writtenAt);
        return new AuditCheckpoint(clinicId, sequence, hash, at, key.Id, Signature(key, clinicId, sequence, hash, at));
    }

    /// <summary>Whether the signature holds under the key the checkpoint names.</summary>
    public bool IsAuthentic(AuditCheckpoint checkpoint) =>
        keys.Find(checkpoint.KeyId) is { } key
        && CryptographicOperations.FixedTimeEquals(
            Encoding.ASCII.GetBytes(Signature(key, checkpoint.ClinicId, checkpoint.Sequence, checkpoint.Hash, checkpoint.WrittenAt)),
            Encoding.ASCII.GetBytes(checkpoint.Signature));

    /// <summary>The clinic's checkpoint, or null when none was written yet.</summary>
    public AuditCheckpoint? Read(string clinicId)
    {
        var path = PathOf(clinicId);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<AuditCheckpoint>(File.ReadAllText(path), Json);
        }
        catch (JsonException)
        {
            throw new InvalidDataException($"The checkpoint of clinic {clinicId} is not readable JSON.");
        }
    }

    /// <summary>The clinics that have a checkpoint file (none when the directory does not exist yet).</summary>
    public IEnumerable<string> Clinics()
    {
        const string Suffix = ".checkpoint.json";
        if (!Directory.Exists(directory))
        {
            return [];
        }

        return Directory.EnumerateFiles(directory, "*" + Suffix)
            .Select(path => Path.GetFileName(path)[..^Suffix.Length])
            .Where(ClinicCluster.Common.Identifiers.IsValid)
            .ToList();
    }

    /// <summary>
    /// Writes the checkpoint (atomically: a temporary file, then a rename) unless the stored one is
    /// further along: a checkpoint never moves backwards, so a truncated chain cannot re-anchor itself.
    /// </summary>
    public bool Write(AuditCheckpoint checkpoint)
    {
        if (Read(checkpoint.ClinicId) is { } current && current.Sequence >= checkpoint.Sequence)
        {
            return false;
        }

        Directory.CreateDirectory(directory);
        var path = PathOf(checkpoint.ClinicId);
        var temporary = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(checkpoint, Json));
        File.Move(temporary, path, overwrite: true);
        return true;
    }

    private string PathOf(string clinicId)
    {
        // Clinic ids are lower-case letters, digits and hyphens; anything else must not pick a path.
        if (!ClinicCluster.Common.Identifiers.IsValid(clinicId))
        {
            throw new ArgumentException("Not a clinic id.", nameof(clinicId));
        }

        return Path.Combine(directory, clinicId + ".checkpoint.json");
    }

    private static string Signature(AuditChainKey key, string clinicId, long sequence, string hash, DateTimeOffset writtenAt)
    {
        var text = string.Join('\n', "clinic-cluster/audit-checkpoint", clinicId, sequence.ToString(CultureInfo.InvariantCulture), hash,
            writtenAt.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture));
        return Convert.ToHexStringLower(HMACSHA256.HashData(key.Secret, Encoding.UTF8.GetBytes(text)));
    }
}
