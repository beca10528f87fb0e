using ClinicCluster.Security;
using Npgsql;

namespace ClinicCluster.Persistence.Postgres.Encryption;

/// <summary>
/// Brings the appointment reason and cancellation reason of the ledger rows
/// (<c>scheduling.appointment_ledger</c>) to the current form: re-encrypted under the active KEK,
/// bound to their row and column (<c>phi2</c>), and encrypted where a row written before the
/// ledger encrypted its text still holds it in the clear. Rows are read in
/// primary-key order, a bounded batch at a time, and written back only if their version is
/// unchanged. The version is the appointment's optimistic concurrency token and re-encryption
/// changes no fact, so neither <c>version</c> nor <c>updated_at</c> moves: an appointment grain
/// holding the row keeps its expected version, and a cancellation that wrote a new reason in
/// between (bumping the version) wins; its text is under the active key anyway.
/// </summary>
public sealed class LedgerReencryptor(NpgsqlDataSource dataSource, IPhiProtector protector)
{
    // Every row with text: a plaintext one (written before the ledger encrypted) is encrypted too.
    private const string Page = """
        SELECT clinic_id, appointment_id, reason, cancellation_reason, version
          FROM scheduling.appointment_ledger
         WHERE (reason IS NOT NULL OR cancellation_reason IS NOT NULL)
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
                var fields = new Fields();
                string? reason, cancellationReason;
                try
                {
                    reason = await ReencryptAsync(row.Reason, PhiField.AppointmentReason(row.Key.ClinicId, row.Key.AppointmentId), report, fields, cancellationToken);
                    cancellationReason = await ReencryptAsync(row.CancellationReason,
                        PhiField.AppointmentCancellationReason(row.Key.ClinicId, row.Key.AppointmentId), report, fields, cancellationToken);
                }
                catch (PhiIntegrityException exception)
                {
                    // Left as it is for an operator; ids and the field only, never the value.
                    report.IntegrityFaults++;
                    progress?.WriteLine($"integrity fault: appointment {row.Key.ClinicId}/{row.Key.AppointmentId}: {exception.Message}");
                    continue;
                }

                if (fields.Reencrypted + fields.Encrypted == 0)
                {
                    continue;
                }

                await using var update = dataSource.CreateCommand(Update);
                update.Parameters.AddWithValue("reason", (object?)reason ?? DBNull.Value);
                update.Parameters.AddWithValue("cancellation_reason", (object?)cancellationReason ?? DBNull.Value);
                update.Parameters.AddWithValue("clinic_id", row.Key.ClinicId);
                update.Parameters.AddWithValue("appointment_id", row.Key.AppointmentId);
                update.Parameters.AddWithValue("version", row.Version);
                report.CountUpdate(await update.ExecuteNonQueryAsync(cancellationToken), fields.Reencrypted, fields.Encrypted);
            }

            if (rows.Count < batchSize)
            {
                return report;
            }

            after = rows[^1].Key;
            progress?.WriteLine($"ledger: {report.Rows} rows scanned, {report.RowsRewritten} rewritten");
        }
    }

    /// <summary>The value as it should be stored: encrypted, under the active KEK and bound to its field.</summary>
    private async Task<string?> ReencryptAsync(string? stored, PhiField field, ReencryptionReport report, Fields fields, CancellationToken cancellationToken)
    {
        if (stored is null)
        {
            return null;
        }

        report.Values++;
        if (!PhiCiphertext.IsProtected(stored))
        {
            fields.Encrypted++;
            return await protector.ProtectAsync(stored, field, cancellationToken);
        }

        // Every value is opened, rewritten or not: the pass doubles as an integrity check.
        var clear = await protector.UnprotectAsync(stored, field, cancellationToken);
        if (!protector.NeedsRotation(stored))
        {
            return stored;
        }

        fields.Reencrypted++;
        return await protector.ProtectAsync(clear, field, cancellationToken);
    }

    private sealed class Fields
    {
        public int Reencrypted { get; set; }

        public int Encrypted { get; set; }
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
