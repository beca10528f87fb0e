using System.Text.Json.Nodes;
using ClinicCluster.Security;
using Npgsql;

namespace ClinicCluster.Silo.Encryption;

/// <summary>
/// Re-encrypts, under the active KEK, every protected value (a JSON string starting with
/// <c>phi1:</c>) of the patient grain states written under another KEK. Rows are read in key
/// order, a bounded batch at a time; a row is written back only if its version is unchanged, and
/// with the same version: a grain that wrote in between wins (it encrypted with the active key
/// anyway), and a live activation's next write still matches its ETag.
/// </summary>
public sealed class PhiReencryptor(NpgsqlDataSource dataSource, IPhiProtector protector)
{
    /// <summary>The grain state names that hold protected values (PatientGrain, MrnRegistryGrain, NameIndexGrain).</summary>
    public static readonly string[] StateNames = ["patient", "mrns", "names"];

    private const string Page = """
        SELECT service_id, grain_type, grain_id_n0, grain_id_n1, grain_id_ext, payload::text, version
          FROM orleans.grain_state
         WHERE grain_type = ANY(@types) AND payload IS NOT NULL
           AND (service_id, grain_type, grain_id_n0, grain_id_n1, grain_id_ext) > (@s, @t, @n0, @n1, @ext)
         ORDER BY service_id, grain_type, grain_id_n0, grain_id_n1, grain_id_ext
         LIMIT @limit
        """;

    private const string Update = """
        UPDATE orleans.grain_state SET payload = @payload::jsonb
         WHERE service_id = @s AND grain_type = @t AND grain_id_n0 = @n0 AND grain_id_n1 = @n1 AND grain_id_ext = @ext
           AND version = @version
        """;

    public async Task<ReencryptionReport> RunAsync(int batchSize, TextWriter? progress, CancellationToken cancellationToken)
    {
        var report = new ReencryptionReport();
        (string S, string T, long N0, long N1, string Ext) after = ("", "", long.MinValue, long.MinValue, "");
        while (true)
        {
            var rows = await ReadPageAsync(after, batchSize, cancellationToken);
            foreach (var row in rows)
            {
                report.Rows++;
                var document = JsonNode.Parse(row.Payload)!;
                var changed = await ReencryptAsync(document, report, cancellationToken);
                if (changed == 0)
                {
                    continue;
                }

                await using var update = dataSource.CreateCommand(Update);
                update.Parameters.AddWithValue("payload", document.ToJsonString());
                Bind(update, row.Key);
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
            progress?.WriteLine($"{report.Rows} rows scanned, {report.RowsRewritten} rewritten");
        }
    }

    private async Task<int> ReencryptAsync(JsonNode node, ReencryptionReport report, CancellationToken cancellationToken)
    {
        var changed = 0;
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, child) in obj.ToList())
                {
                    if (child is JsonValue value && value.TryGetValue<string>(out var text) && PhiCiphertext.IsProtected(text))
                    {
                        report.Values++;
                        if (protector.NeedsRotation(text))
                        {
                            obj[name] = await protector.ProtectAsync(await protector.UnprotectAsync(text, cancellationToken), cancellationToken);
                            changed++;
                        }
                    }
                    else if (child is not null)
                    {
                        changed += await ReencryptAsync(child, report, cancellationToken);
                    }
                }

                break;
            case JsonArray array:
                foreach (var child in array)
                {
                    if (child is not null)
                    {
                        changed += await ReencryptAsync(child, report, cancellationToken);
                    }
                }

                break;
        }

        return changed;
    }

    private async Task<List<Row>> ReadPageAsync((string S, string T, long N0, long N1, string Ext) after, int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(Page);
        command.Parameters.AddWithValue("types", StateNames);
        Bind(command, after);
        command.Parameters.AddWithValue("limit", limit);
        var rows = new List<Row>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new Row((reader.GetString(0), reader.GetString(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetString(4)),
                reader.GetString(5), reader.GetInt32(6)));
        }

        return rows;
    }

    private static void Bind(NpgsqlCommand command, (string S, string T, long N0, long N1, string Ext) key)
    {
        command.Parameters.AddWithValue("s", key.S);
        command.Parameters.AddWithValue("t", key.T);
        command.Parameters.AddWithValue("n0", key.N0);
        command.Parameters.AddWithValue("n1", key.N1);
        command.Parameters.AddWithValue("ext", key.Ext);
    }

    private sealed record Row((string S, string T, long N0, long N1, string Ext) Key, string Payload, int Version);
}

/// <summary>What a rotation pass did; <see cref="RowsChangedMeanwhile"/> rows need another pass.</summary>
public sealed class ReencryptionReport
{
    public int Rows { get; set; }

    public int Values { get; set; }

    public int RowsRewritten { get; set; }

    public int ValuesReencrypted { get; set; }

    public int RowsChangedMeanwhile { get; set; }
}
