using System.Diagnostics;
using System.Security.Cryptography;
using ClinicCluster.Audit;
using Npgsql;
using NpgsqlTypes;

namespace ClinicCluster.Persistence.Postgres.Audit;

/// <summary>
/// Expires whole months of the audit trail (decision 0041): for each attached month that ended
/// before the cut-off, oldest first, detach it (recording each clinic's cut), sign the cuts, copy
/// the detached table to an archive file and drop it. The detach and the drop are catalogue
/// operations whose time does not grow with the month's rows; only the archive copy does. Safe to
/// run again after a failure: unsigned cuts are signed, detached months not yet dropped are
/// archived and dropped, and the archive file of a month is rewritten whole.
/// Runs as clinic_retention (the functions are granted to it alone).
/// </summary>
public sealed class AuditRetention(NpgsqlDataSource dataSource, AuditChainKeys keys, string archiveDirectory)
{
    public async Task<AuditRetentionReport> ExpireBeforeAsync(DateOnly cutoff, CancellationToken cancellationToken)
    {
        var months = new List<AuditExpiredMonth>();
        foreach (var month in await MonthsAsync(AuditRetentionSql.ExpiredMonths, cutoff, cancellationToken))
        {
            var detach = Stopwatch.StartNew();
            var cuts = await DetachAsync(month, cancellationToken);
            months.Add(new AuditExpiredMonth(month, cuts, detach.Elapsed, TimeSpan.Zero, null, 0, TimeSpan.Zero));
        }

        var signed = await SignPendingCutsAsync(cancellationToken);
        var expired = new List<AuditExpiredMonth>();
        foreach (var month in await MonthsAsync(AuditRetentionSql.DetachedMonths, cutoff: null, cancellationToken))
        {
            var detached = months.Find(m => m.Month == month) ?? new AuditExpiredMonth(month, 0, TimeSpan.Zero, TimeSpan.Zero, null, 0, TimeSpan.Zero);
            var archive = Stopwatch.StartNew();
            var (file, bytes) = await ArchiveAsync(month, cancellationToken);
            var archived = archive.Elapsed;
            var drop = Stopwatch.StartNew();
            await using (var command = dataSource.CreateCommand(AuditRetentionSql.DropDetachedMonth))
            {
                command.Parameters.Add(new NpgsqlParameter("month", NpgsqlDbType.Date) { Value = month });
                await command.ExecuteScalarAsync(cancellationToken);
            }

            expired.Add(detached with { Archive = file, ArchiveBytes = bytes, ArchiveTime = archived, DropTime = drop.Elapsed });
        }

        return new AuditRetentionReport(expired, signed);
    }

    /// <summary>Signs every cut that has no signature yet; returns how many.</summary>
    public async Task<int> SignPendingCutsAsync(CancellationToken cancellationToken)
    {
        var pending = new List<AuditRetentionCut>();
        await using (var command = dataSource.CreateCommand(AuditRetentionSql.UnsignedCuts))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                pending.Add(new AuditRetentionCut(reader.GetString(0), reader.GetInt64(1), reader.GetString(2), reader.GetString(3), null, null));
            }
        }

        var key = keys.Active;
        foreach (var cut in pending)
        {
            await using var sign = dataSource.CreateCommand(AuditRetentionSql.Sign);
            sign.Parameters.AddWithValue("clinic_id", cut.ClinicId);
            sign.Parameters.AddWithValue("sequence", cut.Sequence);
            sign.Parameters.AddWithValue("key_id", key.Id);
            sign.Parameters.AddWithValue("signature", cut.SignatureUnder(key));
            await sign.ExecuteScalarAsync(cancellationToken);
        }

        return pending.Count;
    }

    private async Task<int> DetachAsync(DateOnly month, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(AuditRetentionSql.DetachMonth);
        command.Parameters.Add(new NpgsqlParameter("month", NpgsqlDbType.Date) { Value = month });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var cuts = 0;
        while (await reader.ReadAsync(cancellationToken))
        {
            cuts++;
        }

        return cuts;
    }

    /// <summary>Copies the detached month to <c>audit.events_YYYY_MM.copy</c> and its SHA-256 beside it; fsynced before the drop.</summary>
    private async Task<(string File, long Bytes)> ArchiveAsync(DateOnly month, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(archiveDirectory);
        var path = Path.Combine(archiveDirectory, $"audit.{AuditRetentionSql.PartitionName(month)}.copy");
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using (var source = await connection.BeginRawBinaryCopyAsync(AuditRetentionSql.Archive(month), cancellationToken))
        await using (var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
        {
            await source.CopyToAsync(file, cancellationToken);
            await file.FlushAsync(cancellationToken);
            file.Flush(flushToDisk: true);
        }

        await using (var written = File.OpenRead(path))
        {
            var digest = Convert.ToHexStringLower(await SHA256.HashDataAsync(written, cancellationToken));
            await File.WriteAllTextAsync(path + ".sha256", $"{digest}  {Path.GetFileName(path)}\n", cancellationToken);
        }

        return (path, new FileInfo(path).Length);
    }

    private async Task<List<DateOnly>> MonthsAsync(string sql, DateOnly? cutoff, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(sql);
        if (cutoff is { } date)
        {
            command.Parameters.Add(new NpgsqlParameter("cutoff", NpgsqlDbType.Date) { Value = date });
        }

        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var months = new List<DateOnly>();
        while (await reader.ReadAsync(cancellationToken))
        {
            months.Add(reader.GetFieldValue<DateOnly>(0));
        }

        return months;
    }
}

/// <summary>One expired month: its cuts, the archive, and how long each step took.</summary>
public sealed record AuditExpiredMonth(
    DateOnly Month, int Cuts, TimeSpan DetachTime, TimeSpan DropTime, string? Archive, long ArchiveBytes, TimeSpan ArchiveTime);

/// <summary>What a retention run did.</summary>
public sealed record AuditRetentionReport(IReadOnlyList<AuditExpiredMonth> Months, int CutsSigned);
