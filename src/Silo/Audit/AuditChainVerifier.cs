using ClinicCluster.Audit;
using Npgsql;

namespace ClinicCluster.Silo.Audit;

/// <summary>
/// Walks a clinic's chain in sequence order and reports the first broken link: a gap or repeat in
/// the sequence (a deleted or inserted row), a previous-hash that does not match the row before
/// (a removed or reordered row), or a hash that does not match the row's content (a modified row).
/// </summary>
public sealed class AuditChainVerifier(NpgsqlDataSource dataSource)
{
    public async Task<AuditVerification> VerifyAsync(string clinicId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(AuditSql.Chain);
        command.Parameters.AddWithValue("clinic_id", clinicId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);

        long expected = 1;
        var previousHash = AuditChain.Genesis;
        while (await reader.ReadAsync(cancellationToken))
        {
            var record = AuditRows.Read(reader);
            string? problem = null;
            if (record.Sequence != expected)
            {
                problem = record.Sequence < expected
                    ? $"sequence {record.Sequence} appears again (an inserted row)"
                    : $"sequence jumps from {expected - 1} to {record.Sequence} (a deleted row)";
            }
            else if (record.PreviousHash != previousHash)
            {
                problem = "its previous-hash does not match the row before (a removed or reordered row)";
            }
            else if (AuditChain.Hash(previousHash, record.Event) != record.Hash)
            {
                problem = "its hash does not match its content (a modified row)";
            }

            if (problem is not null)
            {
                return new AuditVerification(clinicId, expected - 1, record.Sequence, problem);
            }

            previousHash = record.Hash;
            expected++;
        }

        return new AuditVerification(clinicId, expected - 1, BrokenAt: null, Problem: null);
    }
}

/// <summary>The outcome of a chain walk: how many records held, and the first broken one if any.</summary>
public sealed record AuditVerification(string ClinicId, long VerifiedRecords, long? BrokenAt, string? Problem)
{
    public bool IsIntact => Problem is null;
}
