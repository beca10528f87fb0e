using ClinicCluster.Common;
using ClinicCluster.Patients;
using ClinicCluster.Security;
using Npgsql;

namespace ClinicCluster.Persistence.Postgres.Encryption;

/// <summary>
/// Brings the encrypted search hits of the patient index entries (<c>orleans.patient_index_entries</c>,
/// decision 0030) to the current form: re-encrypted under the active KEK and bound (<c>phi2</c>).
/// Rows are read in key order, a bounded batch at a time, and written back only if their payload
/// is unchanged: a grain that wrote in between wrote the current form anyway. A live name index
/// holds the decrypted hits, so a rewritten row changes nothing it serves.
/// </summary>
public sealed class PatientIndexReencryptor(NpgsqlDataSource dataSource, IPhiProtector protector)
{
    private const string Page = """
        SELECT partition_key, entry_key, owner_id, payload
          FROM orleans.patient_index_entries
         WHERE (partition_key, entry_key) > (@p, @k)
         ORDER BY partition_key, entry_key
         LIMIT @limit
        """;

    private const string Update = """
        UPDATE orleans.patient_index_entries SET payload = @new
         WHERE partition_key = @p AND entry_key = @k AND payload = @old
        """;

    public async Task<ReencryptionReport> RunAsync(int batchSize, TextWriter? progress, CancellationToken cancellationToken)
    {
        var report = new ReencryptionReport();
        (string Partition, string Key) after = ("", "");
        while (true)
        {
            var rows = await ReadPageAsync(after, batchSize, cancellationToken);
            foreach (var (partition, key, owner, payload) in rows)
            {
                report.Rows++;
                report.Values++;
                var field = FieldOf(partition, owner);
                string clear;
                try
                {
                    // Every value is opened, rewritten or not: the pass doubles as an integrity check.
                    clear = await protector.UnprotectAsync(payload, field, cancellationToken);
                }
                catch (PhiIntegrityException exception)
                {
                    report.IntegrityFaults++;
                    progress?.WriteLine($"integrity fault: patient index {partition} entry of {owner}: {exception.Message}");
                    continue;
                }

                if (!protector.NeedsRotation(payload))
                {
                    continue;
                }

                await using var update = dataSource.CreateCommand(Update);
                update.Parameters.AddWithValue("new", await protector.ProtectAsync(clear, field, cancellationToken));
                update.Parameters.AddWithValue("p", partition);
                update.Parameters.AddWithValue("k", key);
                update.Parameters.AddWithValue("old", payload);
                if (await update.ExecuteNonQueryAsync(cancellationToken) == 1)
                {
                    report.RowsRewritten++;
                    report.ValuesReencrypted++;
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

            after = (rows[^1].Partition, rows[^1].Key);
            progress?.WriteLine($"{report.Rows} index entries scanned, {report.RowsRewritten} rewritten");
        }
    }

    /// <summary>The field an entry's ciphertext is bound to: which kind of partition, and whose entry.</summary>
    internal static PhiField FieldOf(string partition, string owner)
    {
        var clinicId = ClinicScopedKey.Parse(partition).ClinicId;
        return partition.Contains("/mrn/", StringComparison.Ordinal)
            ? PhiField.MrnRegistryEntry(clinicId, owner)
            : PhiField.NameIndexEntry(clinicId, owner);
    }

    private async Task<List<(string Partition, string Key, string Owner, string Payload)>> ReadPageAsync(
        (string Partition, string Key) after, int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(Page);
        command.Parameters.AddWithValue("p", after.Partition);
        command.Parameters.AddWithValue("k", after.Key);
        command.Parameters.AddWithValue("limit", limit);
        var rows = new List<(string, string, string, string)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3)));
        }

        return rows;
    }
}
