using ClinicCluster.Audit;

namespace ClinicCluster.Persistence.Postgres.Audit;

/// <summary>
/// One clinic's walk in sequence order, row by row (see <see cref="AuditChainVerifier"/>): checks
/// each link, compares the checkpoint and progress rows with their signed hashes, and writes a
/// signed progress record every <see cref="AuditVerifyRun.ProgressEvery"/> rows and at an intact end.
/// </summary>
internal sealed class AuditChainWalk(AuditChainKeys keys, string clinicId, AuditCheckpoint? checkpoint, AuditVerifyRun run)
{
    private string? _previousHash = AuditChain.Genesis;
    private bool _keyed;
    private AuditVerifyProgress? _resumeAt;
    private long _verified;
    private AuditRecord? _last;
    private string? _progressNotRecorded;

    /// <summary>The sequence the next row must carry.</summary>
    public long Expected { get; private set; } = 1;

    public void StartAfterCut(AuditRetentionCut cut) => (Expected, _previousHash, _keyed) = (cut.Sequence + 1, cut.Hash, true);

    /// <summary>
    /// Starts at the progress row itself: its content is checked against its own previous-hash
    /// (the rows before it were verified by the run that signed the record) and its hash must be the
    /// recorded one. It is not counted: the earlier run counted it.
    /// </summary>
    public void StartAtProgress(AuditVerifyProgress progress) => (Expected, _previousHash, _resumeAt) = (progress.Sequence, null, progress);

    /// <summary>Checks the next row; the outcome when it breaks the chain, else null.</summary>
    public AuditVerification? Next(AuditRecord record)
    {
        var anchor = _resumeAt is not null && record.Sequence <= _resumeAt.Sequence;
        var problem = Check(record, _previousHash ?? record.PreviousHash);
        if (problem is null && anchor && record.Hash != _resumeAt!.Hash)
        {
            problem = "it differs from the signed verify progress record (the chain was rewritten at or before the progress point)";
        }

        if (problem is null && checkpoint is not null && record.Sequence == checkpoint.Sequence && record.Hash != checkpoint.Hash)
        {
            problem = "it differs from the signed checkpoint (the chain was rewritten from here or before)";
        }

        if (problem is not null)
        {
            return Outcome(record.Sequence, problem);
        }

        (_previousHash, _last) = (record.Hash, record);
        Expected++;
        if (!anchor && ++_verified % run.ProgressEvery == 0)
        {
            Record(record);
        }

        return null;
    }

    /// <summary>The outcome once every row was read: the chain must reach its progress point and checkpoint.</summary>
    public AuditVerification End()
    {
        var last = Expected - 1;
        if (_resumeAt is not null && last < _resumeAt.Sequence)
        {
            return Outcome(last + 1, $"the chain ends before its verify progress point at sequence {_resumeAt.Sequence} (a removed tail)");
        }

        if (checkpoint is not null && last < checkpoint.Sequence)
        {
            return Outcome(last + 1, $"the chain ends at sequence {last} but its signed checkpoint is at {checkpoint.Sequence} (a removed tail)");
        }

        if (_last is not null && _verified % run.ProgressEvery != 0)
        {
            Record(_last);
        }

        return Outcome(null, null) with { CheckpointSequence = checkpoint?.Sequence };
    }

    private AuditVerification Outcome(long? brokenAt, string? problem) =>
        new(clinicId, _verified, brokenAt, problem, ResumedAfter: _resumeAt?.Sequence, ProgressNotRecorded: _progressNotRecorded);

    private void Record(AuditRecord record)
    {
        if (run.Progress is null || _progressNotRecorded is not null)
        {
            return;
        }

        try
        {
            var progress = run.Progress.Sign(clinicId, record.Sequence, record.Hash, DateTimeOffset.UtcNow);
            run.Progress.Write(progress);
            run.Recorded?.Invoke(progress);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Progress only saves a later run work (the CronJob mounts the directory read-only):
            // the walk goes on, and the command says why nothing was recorded.
            _progressNotRecorded = e.GetType().Name;
        }
    }

    private string? Check(AuditRecord record, string previousHash)
    {
        if (record.Sequence != Expected)
        {
            return record.Sequence < Expected
                ? $"sequence {record.Sequence} appears again (an inserted row)"
                : $"sequence jumps from {Expected - 1} to {record.Sequence} (a deleted row)";
        }

        if (record.PreviousHash != previousHash)
        {
            return "its previous-hash does not match the row before (a removed or reordered row)";
        }

        if (record.ChainKeyId is null)
        {
            // Rows from before the chain was keyed may only precede the keyed ones.
            return _keyed
                ? "an unkeyed row after keyed ones (a forged tail)"
                : AuditChain.UnkeyedHash(previousHash, record.Event) != record.Hash ? "its hash does not match its content (a modified row)" : null;
        }

        _keyed = true;
        if (keys.Find(record.ChainKeyId) is not { } key)
        {
            return $"its chain key '{record.ChainKeyId}' is not in the chain key ring";
        }

        return AuditChain.Hash(previousHash, record.Event, key) != record.Hash
            ? "its hash does not match its content under its chain key (a modified or forged row)"
            : null;
    }
}
