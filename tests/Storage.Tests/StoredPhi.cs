using System.Text.Json.Nodes;
using ClinicCluster.Common;
using ClinicCluster.Security;
using Npgsql;

namespace ClinicCluster.Storage.Tests;

/// <summary>Reads the PHI fields of a clinic's patient grain states and index entries as stored, with the field each belongs to.</summary>
internal static class StoredPhi
{
    public static async Task<List<(string Value, PhiField Field)>> GrainValuesAsync(string ownerConnection, string clinicId)
    {
        await using var connection = new NpgsqlConnection(ownerConnection);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT grain_type, grain_id_ext, payload::text FROM orleans.grain_state " +
            "WHERE grain_type IN ('patient', 'mrns', 'names') AND payload IS NOT NULL AND grain_id_ext LIKE @clinic || '/%' ORDER BY grain_type, grain_id_ext",
            connection);
        command.Parameters.AddWithValue("clinic", clinicId);
        var values = new List<(string, PhiField)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var id = ClinicScopedKey.Parse(reader.GetString(1)).Id;
            var document = JsonNode.Parse(reader.GetString(2))!;
            switch (reader.GetString(0))
            {
                case "patient":
                    values.Add((document["patient"]!["demographics"]!.GetValue<string>(), PhiField.PatientDemographics(clinicId, id)));
                    break;
                case "mrns":
                    foreach (var (_, entry) in document["patients"]!.AsObject().OrderBy(e => e.Key, StringComparer.Ordinal))
                    {
                        var patientId = entry!["patientId"]!.GetValue<string>();
                        values.Add((entry["summary"]!.GetValue<string>(), PhiField.MrnRegistryEntry(clinicId, patientId)));
                    }

                    break;
                case "names":
                    foreach (var (patientId, entry) in document["patients"]!.AsObject().OrderBy(e => e.Key, StringComparer.Ordinal))
                    {
                        values.Add((entry!.GetValue<string>(), PhiField.NameIndexEntry(clinicId, patientId)));
                    }

                    break;
            }
        }

        await reader.DisposeAsync();

        // The index entries (decision 0030): one row per MRN registry or name index entry.
        await using var entries = new NpgsqlCommand(
            "SELECT partition_key, owner_id, payload FROM orleans.patient_index_entries WHERE partition_key LIKE @clinic || '/%' ORDER BY partition_key, entry_key",
            connection);
        entries.Parameters.AddWithValue("clinic", clinicId);
        await using var rows = await entries.ExecuteReaderAsync();
        while (await rows.ReadAsync())
        {
            var partition = rows.GetString(0);
            var owner = rows.GetString(1);
            values.Add((rows.GetString(2), partition.Contains("/mrn/", StringComparison.Ordinal)
                ? PhiField.MrnRegistryEntry(clinicId, owner)
                : PhiField.NameIndexEntry(clinicId, owner)));
        }

        await rows.DisposeAsync();

        // The name index snapshots (decision 0060): one encrypted value per large partition.
        await using var snapshots = new NpgsqlCommand(
            "SELECT partition_key, payload FROM orleans.name_index_snapshots WHERE partition_key LIKE @clinic || '/%' ORDER BY partition_key", connection);
        snapshots.Parameters.AddWithValue("clinic", clinicId);
        await using var snapshotRows = await snapshots.ExecuteReaderAsync();
        while (await snapshotRows.ReadAsync())
        {
            values.Add((snapshotRows.GetString(1), PhiField.NameIndexSnapshot(clinicId, snapshotRows.GetString(0))));
        }

        return values;
    }
}
