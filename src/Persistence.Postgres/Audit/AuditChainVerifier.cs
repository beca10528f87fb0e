using ClinicCluster.Audit;
using Npgsql;

namespace ClinicCluster.Persistence.Postgres.Audit;

/// <summary>
/// Walks a clinic's chain in sequence order and reports the first broken link: a gap or repeat in
/// the sequence (a deleted or inserted row), a previous-hash that does not match the row before
/// (a removed or reordered row), a hash that does not match the row's content under its chain key
/// (a modified or forged row), an unknown key, or an unkeyed row after keyed ones. Then the chain
/// must reach the clinic's signed checkpoint and hold the checkpoint's hash there: a tail dropped
/// or rewritten behind the anchor is detected too. After retention the walk begins at the clinic's
/// latest signed cut (<see cref="AuditRetentionCut"/>), whose hash the first remaining record must follow.
/// </summary>
public sealed class AuditChainVerifier(NpgsqlDataSource dataSource, AuditChainKeys keys, AuditCheckpoints? checkpoints = null)
{
    public async Task<AuditVerification> VerifyAsync(string clinicId, CancellationToken cancellationToken)
    {
        var checkpoint = checkpoints?.Read(clinicId);
        if (checkpoint is not null && (checkpoint.ClinicId != clinicId || !checkpoints!.IsAuthentic(checkpoint)))
        {
            return new AuditVerification(clinicId, 0, checkpoint.Sequence, "the checkpoint's signature does not hold (a forged checkpoint)");
        }

        // After retention the chain begins at the clinic's latest cut, which must carry a valid signature.
        long expected = 1;
        var previousHash = AuditChain.Genesis;
        var keyed = false;
        var cut = await AuditRetentionCut.LatestAsync(dataSource, clinicId, cancellationToken);
        if (cut is not null)
        {
            if (!cut.IsAuthentic(keys))
            {
                return new AuditVerification(clinicId, 0, cut.Sequence,
                    "its retention cut is unsigned or its signature does not hold (run `audit retention` to sign a cut it recorded)");
            }

            (expected, previousHash, keyed) = (cut.Sequence + 1, cut.Hash, true);
        }

        var first = expected;
        await using var command = dataSource.CreateCommand(AuditSql.Chain);
        command.Parameters.AddWithValue("clinic_id", clinicId);
        command.Parameters.AddWithValue("after", expected - 1);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);

        while (await reader.ReadAsync(cancellationToken))
        {
            var record = AuditRows.Read(reader);
            var problem = Check(record, expected, previousHash, ref keyed);
            if (problem is null && checkpoint is not null && record.Sequence == checkpoint.Sequence && record.Hash != checkpoint.Hash)
            {
                problem = "it differs from the signed checkpoint (the chain was rewritten from here or before)";
            }

            if (problem is not null)
            {
                return new AuditVerification(clinicId, expected - first, record.Sequence, problem, CutSequence: cut?.Sequence);
            }

            previousHash = record.Hash;
            expected++;
        }

        var last = expected - 1;
        if (checkpoint is not null && last < checkpoint.Sequence)
        {
            return new AuditVerification(clinicId, last - first + 1, last + 1,
                $"the chain ends at sequence {last} but its signed checkpoint is at {checkpoint.Sequence} (a removed tail)", CutSequence: cut?.Sequence);
        }

        return new AuditVerification(clinicId, last - first + 1, BrokenAt: null, Problem: null, CheckpointSequence: checkpoint?.Sequence, CutSequence: cut?.Sequence);
    }

    private string? Check(AuditRecord record, long expected, string previousHash, ref bool keyed)
    {
        if (record.Sequence != expected)
        {
            return record.Sequence < expected
                ? $"sequence {record.Sequence} appears again (an inserted row)"
                : $"sequence jumps from {expected - 1} to {record.Sequence} (a deleted row)";
        }

        if (record.PreviousHash != previousHash)
        {
            return "its previous-hash does not match the row before (a removed or reordered row)";
        }

        if (record.ChainKeyId is null)
        {
            // Rows from before the chain was keyed may only precede the keyed ones.
            return keyed
                ? "an unkeyed row after keyed ones (a forged tail)"
                : AuditChain.UnkeyedHash(previousHash, record.Event) != record.Hash ? "its hash does not match its content (a modified row)" : null;
        }

        keyed = true;
        if (keys.Find(record.ChainKeyId) is not { } key)
        {
            return $"its chain key '{record.ChainKeyId}' is not in the chain key ring";
        }

        return AuditChain.Hash(previousHash, record.Event, key) != record.Hash
            ? "its hash does not match its content under its chain key (a modified or forged row)"
            : null;
    }
}

/// <summary>The outcome of a chain walk: how many records held, and the first broken one if any.</summary>
/// <remarks><see cref="CutSequence"/>: the retention cut the walk began after (records up to it were expired), or null.</remarks>
public sealed record AuditVerification(string ClinicId, long VerifiedRecords, long? BrokenAt, string? Problem, long? CheckpointSequence = null, long? CutSequence = null)
{
    public bool IsIntact => Problem is null;
}
