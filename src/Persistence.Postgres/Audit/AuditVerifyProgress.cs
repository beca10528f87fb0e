using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ClinicCluster.Audit;

namespace ClinicCluster.Persistence.Postgres.Audit;

/// <summary>
/// How far a run of <c>audit verify</c> walked a clinic's chain: the last sequence it verified and
/// that row's hash, signed with a chain key so that <c>--resume</c> cannot be pointed past rows
/// nobody verified (decision 0058).
/// </summary>
public sealed record AuditVerifyProgress(string ClinicId, long Sequence, string Hash, DateTimeOffset WrittenAt, string KeyId, string Signature);

/// <summary>
/// Verify progress records, one JSON file per clinic beside the signed checkpoints in
/// <c>Audit:CheckpointDirectory</c> (<c>&lt;clinic&gt;.verify-progress.json</c>): outside the
/// database, so the app role that appends the chain cannot move them.
/// </summary>
public sealed class AuditVerifyProgressFiles(string directory, AuditChainKeys keys)
{
    // A purpose of its own: a head checkpoint (written by every silo) must never pass for a
    // progress record, or copying it over would skip the whole chain on --resume.
    private const string Purpose = "clinic-cluster/audit-verify-progress";
    private const string Suffix = ".verify-progress.json";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public AuditVerifyProgress Sign(string clinicId, long sequence, string hash, DateTimeOffset writtenAt)
    {
        var key = keys.Active;
        var at = AuditChain.ToMicroseconds(writtenAt);
        return new AuditVerifyProgress(clinicId, sequence, hash, at, key.Id, Signature(key, clinicId, sequence, hash, at));
    }

    /// <summary>Whether the record is signed under a key of the ring and the signature holds.</summary>
    public bool IsAuthentic(AuditVerifyProgress progress) =>
        // Fields may be missing from an edited file: a missing one is a signature that does not hold.
        progress.KeyId is not null && progress.Signature is not null && progress.Hash is not null
        && keys.Find(progress.KeyId) is { } key
        && CryptographicOperations.FixedTimeEquals(
            Encoding.ASCII.GetBytes(Signature(key, progress.ClinicId, progress.Sequence, progress.Hash, progress.WrittenAt)),
            Encoding.ASCII.GetBytes(progress.Signature));

    /// <summary>The clinic's progress record, or null when no run recorded one.</summary>
    public AuditVerifyProgress? Read(string clinicId)
    {
        var path = PathOf(clinicId);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<AuditVerifyProgress>(File.ReadAllText(path), Json)
                ?? throw new InvalidDataException($"The verify progress record of clinic {clinicId} is empty.");
        }
        catch (JsonException)
        {
            throw new InvalidDataException($"The verify progress record of clinic {clinicId} is not readable JSON.");
        }
    }

    /// <summary>
    /// Replaces the clinic's record atomically (a temporary file, then a rename), so a run killed
    /// while writing leaves the previous record whole. Unlike a checkpoint it may move backwards: it
    /// only saves work, the chain's anchor stays the checkpoint.
    /// </summary>
    public void Write(AuditVerifyProgress progress)
    {
        Directory.CreateDirectory(directory);
        var path = PathOf(progress.ClinicId);
        var temporary = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(progress, Json));
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>The file of the clinic's record.</summary>
    public string PathOf(string clinicId)
    {
        // Clinic ids are lower-case letters, digits and hyphens; anything else must not pick a path.
        if (!ClinicCluster.Common.Identifiers.IsValid(clinicId))
        {
            throw new ArgumentException("Not a clinic id.", nameof(clinicId));
        }

        return Path.Combine(directory, clinicId + Suffix);
    }

    private static string Signature(AuditChainKey key, string clinicId, long sequence, string hash, DateTimeOffset writtenAt)
    {
        var text = string.Join('\n', Purpose, clinicId, sequence.ToString(CultureInfo.InvariantCulture), hash,
            writtenAt.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture));
        return Convert.ToHexStringLower(HMACSHA256.HashData(key.Secret, Encoding.UTF8.GetBytes(text)));
    }
}
