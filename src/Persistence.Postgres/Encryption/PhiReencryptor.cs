using System.Text.Json;
using System.Text.Json.Nodes;
using ClinicCluster.Common;
using ClinicCluster.Patients;
using ClinicCluster.Persistence.Postgres.GrainStorage;
using ClinicCluster.Security;
using Npgsql;

namespace ClinicCluster.Persistence.Postgres.Encryption;

/// <summary>
/// Brings every PHI field of the patient grain states (PatientGrain, MrnRegistryGrain,
/// NameIndexGrain) to the current form: a <c>phi2</c> ciphertext under the active KEK, bound to its
/// record and field. It re-encrypts values under another KEK, rewrites unbound <c>phi1</c> values
/// bound, and encrypts fields still in plain JSON (state written before encryption existed). Rows
/// are read in key order, a bounded batch at a time; a row is written back only if its version is
/// unchanged, and with the same version: a grain that wrote in between wins (it wrote the current
/// form anyway), and a live activation's next write still matches its ETag.
/// </summary>
public sealed class PhiReencryptor(NpgsqlDataSource dataSource, IPhiProtector protector)
{
    /// <summary>The grain state names that hold protected values (PatientGrain, MrnRegistryGrain, NameIndexGrain).</summary>
    public static readonly string[] StateNames = ["patient", "mrns", "names"];

    // The grain storage's own JSON conventions: a plaintext record reads the way the silo wrote it.
    private static readonly JsonSerializerOptions StoredJson = new SystemTextJsonGrainStorageSerializer().Options;

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
                if (JsonNode.Parse(row.Payload) is not JsonObject document)
                {
                    continue;
                }

                var fields = new FieldRewriter(protector, report, cancellationToken);
                var changed = await RewriteAsync(row.Key.T, row.Key.Ext, document, fields, progress);
                if (changed == 0)
                {
                    continue;
                }

                await using var update = dataSource.CreateCommand(Update);
                update.Parameters.AddWithValue("payload", document.ToJsonString());
                Bind(update, row.Key);
                update.Parameters.AddWithValue("version", row.Version);
                report.CountUpdate(await update.ExecuteNonQueryAsync(cancellationToken), fields.Reencrypted, fields.Encrypted);
            }

            if (rows.Count < batchSize)
            {
                return report;
            }

            after = rows[^1].Key;
            progress?.WriteLine($"{report.Rows} rows scanned, {report.RowsRewritten} rewritten");
        }
    }

    /// <summary>The PHI fields of one state, by state name; returns how many were rewritten.</summary>
    private static async Task<int> RewriteAsync(string stateName, string grainKey, JsonObject document, FieldRewriter fields, TextWriter? progress)
    {
        var (clinicId, id) = ClinicScopedKey.Parse(grainKey);
        try
        {
            switch (stateName)
            {
                case "patient" when document["patient"] is JsonObject patient:
                    await fields.RewriteAsync<PatientDemographics>(patient, "demographics", PhiField.PatientDemographics(clinicId, id));
                    break;
                case "mrns" when document["patients"] is JsonObject registry:
                    foreach (var (_, entry) in registry.ToList())
                    {
                        if (entry is JsonObject holder && holder["patientId"]?.GetValue<string>() is { } patientId)
                        {
                            await fields.RewriteAsync<PatientSummary>(holder, "summary", PhiField.MrnRegistryEntry(clinicId, patientId));
                        }
                    }

                    break;
                case "names" when document["patients"] is JsonObject index:
                    foreach (var (patientId, _) in index.ToList())
                    {
                        await fields.RewriteAsync<PatientSummary>(index, patientId, PhiField.NameIndexEntry(clinicId, patientId));
                    }

                    break;
            }
        }
        catch (PhiIntegrityException exception)
        {
            // The row is left as it is for an operator; ids and the field only, never the value.
            fields.Report.IntegrityFaults++;
            progress?.WriteLine($"integrity fault: {stateName} {grainKey}: {exception.Message}");
            return 0;
        }

        return fields.Reencrypted + fields.Encrypted;
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

    /// <summary>Rewrites one JSON property holding a PHI record: a ciphertext, or (never encrypted) the record itself.</summary>
    private sealed class FieldRewriter(IPhiProtector protector, ReencryptionReport report, CancellationToken cancellationToken)
    {
        public ReencryptionReport Report => report;

        public int Reencrypted { get; private set; }

        public int Encrypted { get; private set; }

        public async Task RewriteAsync<T>(JsonObject parent, string property, PhiField field)
        {
            switch (parent[property])
            {
                case JsonValue value when value.TryGetValue<string>(out var text) && PhiCiphertext.IsProtected(text):
                    report.Values++;

                    // Every value is opened, rewritten or not: the pass doubles as an integrity check.
                    var clear = await protector.UnprotectAsync(text, field, cancellationToken);
                    if (protector.NeedsRotation(text))
                    {
                        parent[property] = await protector.ProtectAsync(clear, field, cancellationToken);
                        Reencrypted++;
                    }

                    break;
                case JsonObject plaintext:
                    // Written before encryption existed: the record as the grain storage serialized it.
                    var record = plaintext.Deserialize<T>(StoredJson) ?? throw new JsonException("A stored PHI record is null.");
                    parent[property] = await protector.ProtectAsync(record, field, cancellationToken);
                    report.Values++;
                    Encrypted++;
                    break;
            }
        }
    }
}
