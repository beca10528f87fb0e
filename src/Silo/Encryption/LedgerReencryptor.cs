using ClinicCluster.Security;
using Npgsql;

namespace ClinicCluster.Silo.Encryption;

/// <summary>
/// Re-encrypts, under the active KEK, the appointment reason and cancellation reason of the
/// ledger rows (<c>scheduling.appointment_ledger</c>) written under another KEK. Rows are read in
/// primary-key order, a bounded batch at a time, and written back only if their version is
/// unchanged. The version is the appointment's optimistic concurrency token and re-encryption
/// changes no fact, so neither <c>version</c> nor <c>updated_at</c> moves: an appointment grain
/// holding the row keeps its expected version, and a cancellation that wrote a new reason in
/// between (bumping the version) wins; its text is under the active key anyway.
/// </summary>
public sealed class LedgerReencryptor(NpgsqlDataSource dataSource, IPhiProtector protector)
{
    // Rows written before the ledger encrypted its text hold it in the clear: not a rotation's business.
    private const string Page = """
        SELECT clinic_id, appointment_id, reason, cancellation_reason, version
          FROM scheduling.appointment_ledger
         WHERE (reason LIKE 'phi1:%' OR cancellation_reason LIKE 'phi1:%')
           AND (clinic_id, appointment_id) > (@clinic_id, @appointment_id)
         ORDER BY clinic_id, appointment_id
         LIMIT @limit
        """;

    private const string Update = """
        UPDATE scheduling.appointment_ledger SET reason = @reason, cancellation_reason = @cancellation_reason
         WHERE clinic_id = @clinic_id AND appointment_id = @appointment_id AND version = @version
        """;

    public async Task<ReencryptionReport> RunAsync(int batchSize, TextWriter? progress, CancellationToken cancellationToken)
    {
        var report = new ReencryptionReport();
        (string ClinicId, string AppointmentId) after = ("", "");
        while (true)
        {
            var rows = await ReadPageAsync(after, batchSize, cancellationToken);
            foreach (var row in rows)
            {
                report.Rows++;
                var (reason, reasonChanged) = await ReencryptAsync(row.Reason, report, cancellationToken);
                var (cancellationReason, cancellationChanged) = await ReencryptAsync(row.CancellationReason, report, cancellationToken);
                var changed = (reasonChanged ? 1 : 0) + (cancellationChanged ? 1 : 0);
                if (changed == 0)
                {
                    continue;
                }

                await using var update = dataSource.CreateCommand(Update);
                update.Parameters.AddWithValue("reason", (object?)reason ?? DBNull.Value);
                update.Parameters.AddWithValue("cancellation_reason", (object?)cancellationReason ?? DBNull.Value);
                update.Parameters.AddWithValue("clinic_id", row.Key.ClinicId);
                update.Parameters.AddWithValue("appointment_id", row.Key.AppointmentId);
                update.Parameters.AddWithValue("version", row.Version);
                if (await update.ExecuteNonQueryAsync(cancellationToken) == 1)
                {
                    report.RowsRewritten++;
                    report.ValuesReencrypted += changed;
                }
                else
                {
                    report.RowsChangedMeanwhile++;
                }
            }

            if (rows.Count < batchSize)
            {
                return report;
            }

            after = rows[^1].Key;
            progress?.WriteLine($"ledger: {report.Rows} rows scanned, {report.RowsRewritten} rewritten");
        }
    }

    /// <summary>The value as it should be stored: re-encrypted if it is under another KEK, else as it is.</summary>
    private async Task<(string? Value, bool Changed)> ReencryptAsync(string? stored, ReencryptionReport report, CancellationToken cancellationToken)
    {
        if (!PhiCiphertext.IsProtected(stored))
        {
            return (stored, false);
        }

        report.Values++;
        if (!protector.NeedsRotation(stored!))
        {
            return (stored, false);
        }

        return (await protector.ProtectAsync(await protector.UnprotectAsync(stored!, cancellationToken), cancellationToken), true);
    }

    private async Task<List<Row>> ReadPageAsync((string ClinicId, string AppointmentId) after, int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(Page);
        command.Parameters.AddWithValue("clinic_id", after.ClinicId);
        command.Parameters.AddWithValue("appointment_id", after.AppointmentId);
        command.Parameters.AddWithValue("limit", limit);
        var rows = new List<Row>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new Row((reader.GetString(0), reader.GetString(1)),
                reader.IsDBNull(2) ? null : reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetInt64(4)));
        }

        return rows;
    }

    private sealed record Row((string ClinicId, string AppointmentId) Key, string? Reason, string? CancellationReason, long Version);
}
