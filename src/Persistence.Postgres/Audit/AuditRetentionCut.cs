using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ClinicCluster.Audit;
using Npgsql;

namespace ClinicCluster.Persistence.Postgres.Audit;

/// <summary>
/// Where a clinic's chain begins after retention: the sequence and hash of the last record of a
/// detached month (audit.retention_cuts, migration 0470). Signed with a chain key, for the same
/// reason as a checkpoint: whoever could write the table could otherwise cut away any prefix.
/// </summary>
public sealed record AuditRetentionCut(string ClinicId, long Sequence, string Hash, string PartitionName, string? KeyId, string? Signature)
{
    // A purpose of its own: a head checkpoint's signature must never pass for a cut's.
    private const string Purpose = "clinic-cluster/audit-retention-cut";

    /// <summary>The signature of this cut under the key.</summary>
    public string SignatureUnder(AuditChainKey key)
    {
        var text = string.Join('\n', Purpose, ClinicId, Sequence.ToString(CultureInfo.InvariantCulture), Hash, PartitionName);
        return Convert.ToHexStringLower(HMACSHA256.HashData(key.Secret, Encoding.UTF8.GetBytes(text)));
    }

    /// <summary>Whether the cut is signed under a key of the ring and the signature holds.</summary>
    public bool IsAuthentic(AuditChainKeys keys) =>
        KeyId is not null && Signature is not null && keys.Find(KeyId) is { } key
        && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(SignatureUnder(key)), Encoding.ASCII.GetBytes(Signature));

    /// <summary>The clinic's latest cut (the highest sequence), or null when retention never cut its chain.</summary>
    public static async Task<AuditRetentionCut?> LatestAsync(NpgsqlDataSource dataSource, string clinicId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(AuditRetentionSql.LatestCut);
        command.Parameters.AddWithValue("clinic_id", clinicId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new AuditRetentionCut(clinicId, reader.GetInt64(0), reader.GetString(1), reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetString(4))
            : null;
    }
}
