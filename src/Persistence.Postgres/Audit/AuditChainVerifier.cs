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
/// With <see cref="AuditVerifyRun.Resume"/> it begins at the row of the clinic's signed progress
/// record instead, which must still hold the recorded hash (decision 0058).
/// </summary>
public sealed class AuditChainVerifier(NpgsqlDataSource dataSource, AuditChainKeys keys, AuditCheckpoints? checkpoints = null)
{
    public Task<AuditVerification> VerifyAsync(string clinicId, CancellationToken cancellationToken) =>
        VerifyAsync(clinicId, new AuditVerifyRun(), cancellationToken);

    public async Task<AuditVerification> VerifyAsync(string clinicId, AuditVerifyRun run, CancellationToken cancellationToken)
    {
        var checkpoint = checkpoints?.Read(clinicId);
        if (checkpoint is not null && (checkpoint.ClinicId != clinicId || !checkpoints!.IsAuthentic(checkpoint)))
        {
            return new AuditVerification(clinicId, 0, checkpoint.Sequence, "the checkpoint's signature does not hold (a forged checkpoint)");
        }

        // After retention the chain begins at the clinic's latest cut, which must carry a valid signature.
        var walk = new AuditChainWalk(keys, clinicId, checkpoint, run);
        var cut = await AuditRetentionCut.LatestAsync(dataSource, clinicId, cancellationToken);
        if (cut is not null)
        {
            if (!cut.IsAuthentic(keys))
            {
                return new AuditVerification(clinicId, 0, cut.Sequence,
                    "its retention cut is unsigned or its signature does not hold (run `audit retention` to sign a cut it recorded)");
            }

            walk.StartAfterCut(cut);
        }

        if (run.Resume && run.Progress?.Read(clinicId) is { } progress)
        {
            if (progress.ClinicId != clinicId || !run.Progress.IsAuthentic(progress))
            {
                return new AuditVerification(clinicId, 0, progress.Sequence,
                    "its verify progress record's signature does not hold (a forged progress record; verify without --resume)", CutSequence: cut?.Sequence);
            }

            // A cut past the progress point expired the rows it names; the signed cut is then the later start.
            if (progress.Sequence > (cut?.Sequence ?? 0))
            {
                walk.StartAtProgress(progress);
                if (await CheckpointBeforeResumeAsync(clinicId, checkpoint, cut, progress, cancellationToken) is { } moved)
                {
                    return new AuditVerification(clinicId, 0, checkpoint!.Sequence, moved, CutSequence: cut?.Sequence);
                }
            }
        }

        await using var command = dataSource.CreateCommand(AuditSql.Chain);
        command.Parameters.AddWithValue("clinic_id", clinicId);
        command.Parameters.AddWithValue("after", walk.Expected - 1);
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                // Checked here too: a kill signal stops the walk between rows, after the last record written.
                cancellationToken.ThrowIfCancellationRequested();
                if (walk.Next(AuditRows.Read(reader)) is { } broken)
                {
                    return broken with { CutSequence = cut?.Sequence };
                }
            }
        }

        return walk.End() with { CutSequence = cut?.Sequence };
    }

    /// <summary>
    /// The walk from a progress point never passes a checkpoint behind it, so that row is looked up
    /// alone: a chain rewritten there since is still reported.
    /// </summary>
    private async Task<string?> CheckpointBeforeResumeAsync(
        string clinicId, AuditCheckpoint? checkpoint, AuditRetentionCut? cut, AuditVerifyProgress progress, CancellationToken cancellationToken)
    {
        if (checkpoint is null || checkpoint.Sequence >= progress.Sequence || checkpoint.Sequence <= (cut?.Sequence ?? 0))
        {
            return null;
        }

        await using var command = dataSource.CreateCommand(AuditSql.HashesAt);
        command.Parameters.AddWithValue("clinic_id", clinicId);
        command.Parameters.AddWithValue("sequence", checkpoint.Sequence);
        var hashes = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            hashes.Add(reader.GetString(0));
        }

        return hashes.Count == 1 && hashes[0] == checkpoint.Hash
            ? null
            : "it differs from the signed checkpoint (the chain was rewritten from here or before)";
    }
}

/// <summary>The outcome of a chain walk: how many records held, and the first broken one if any.</summary>
/// <remarks>
/// <see cref="CutSequence"/>: the retention cut the walk began after (records up to it were expired), or null.
/// <see cref="ResumedAfter"/>: the progress point a resumed walk began after (records up to it were verified by an earlier run), or null.
/// <see cref="ProgressNotRecorded"/>: why the walk's progress could not be written, or null.
/// </remarks>
public sealed record AuditVerification(
    string ClinicId, long VerifiedRecords, long? BrokenAt, string? Problem, long? CheckpointSequence = null, long? CutSequence = null,
    long? ResumedAfter = null, string? ProgressNotRecorded = null)
{
    public bool IsIntact => Problem is null;
}
