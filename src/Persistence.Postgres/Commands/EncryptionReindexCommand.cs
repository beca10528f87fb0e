using System.CommandLine;
using ClinicCluster.Common;
using ClinicCluster.Patients;
using ClinicCluster.Persistence.Postgres.Patients;
using ClinicCluster.Security;
using ClinicCluster.ServiceDefaults.Commands;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ClinicCluster.Persistence.Postgres.Commands;

/// <summary>
/// <c>encryption reindex [--batch-size 100]</c>: after the silos restarted with a new active
/// blind-index key (the old one still in the ring), joins the cluster as a client and has every
/// patient grain move its MRN registry and name index entries to the active key, a bounded batch
/// of patients at a time (ids read from grain storage in key order). Then it checks that no index
/// partition of another key still holds an entry; if none does, the other index keys can be
/// removed from the ring. Exit codes: 0 done, 1 MRN conflicts or partitions left (run again, or
/// look at the listed ids), 2 configuration, 64 usage, 69 the cluster or the database cannot be reached.
/// </summary>
internal static class EncryptionReindexCommand
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(30);

    private const string PatientPage = """
        SELECT grain_id_n0, grain_id_n1, grain_id_ext
          FROM orleans.grain_state
         WHERE service_id = @service AND grain_type = 'patient' AND payload IS NOT NULL
           AND (grain_id_n0, grain_id_n1, grain_id_ext) > (@n0, @n1, @ext)
         ORDER BY grain_id_n0, grain_id_n1, grain_id_ext
         LIMIT @limit
        """;

    // Entries live in orleans.patient_index_entries (decision 0030); a partition stored whole as
    // grain state before that, and not activated since, still counts until it moves its entries.
    private const string NonEmptyPartitions = """
        SELECT grain_id_ext
          FROM orleans.grain_state
         WHERE service_id = @service AND grain_type IN ('mrns', 'names') AND payload IS NOT NULL
           AND payload -> 'patients' <> '{}'::jsonb
        UNION
        SELECT DISTINCT partition_key FROM orleans.patient_index_entries
        """;

    public static Command Create(CommandOutput output, IClusterAccess cluster)
    {
        var batchSize = EncryptionCommands.BatchSize(100, 1_000, "Patients re-indexed at a time");
        var command = new Command("reindex", "Move every patient's MRN and name index entries to the active blind-index key.") { batchSize };
        command.SetAction((parse, _) => RunAsync(parse.GetValue(batchSize), CommandConfiguration.Build(parse.ConfigurationArguments()), cluster, output));
        return command;
    }

    private static async Task<int> RunAsync(int batchSize, IConfiguration configuration, IClusterAccess cluster, CommandOutput streams)
    {
        var connectionString = PostgresOptions.Read(configuration).ResolveRuntime();
        var serviceId = cluster.ServiceId(configuration);
        var file = EncryptionCommands.KeyRingFile(configuration, " (the ring the silos run with)");
        var indexKeys = CommandConfiguration.LoadKeyRing(file, SecurityServiceCollectionExtensions.KeyRingSetting, requireIndexKey: true).IndexKeys!;
        var (output, error) = (streams.Output, streams.Error);

        using var client = cluster.BuildClient(configuration);
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        try
        {
            using (var connect = new CancellationTokenSource(ConnectTimeout))
            {
                await client.StartAsync(connect.Token);
            }

            var grains = client.Services.GetRequiredService<IClusterClient>();
            var (patients, conflicts) = await MoveAsync(dataSource, grains, serviceId, batchSize, output);
            var left = await PartitionsLeftAsync(dataSource, serviceId, indexKeys.ActiveId);
            await new PostgresNameIndexSnapshotStore(dataSource).DropOrphansAsync();
            foreach (var partition in left)
            {
                await output.WriteLineAsync($"still holds entries under another index key: {partition}");
            }

            await output.WriteLineAsync($"reindex: {patients} patient(s) under index key '{indexKeys.ActiveId}'; {conflicts.Count} MRN conflict(s); " +
                $"{left.Count} partition(s) left under other keys.");
            if (conflicts.Count == 0 && left.Count == 0 && indexKeys.Ids.Count > 1)
            {
                await output.WriteLineAsync($"index key(s) {string.Join(", ", indexKeys.Ids.Skip(1))} can now be removed from the ring.");
            }

            await client.StopAsync();
            return conflicts.Count == 0 && left.Count == 0 ? ExitCodes.Ok : ExitCodes.ProblemFound;
        }
        catch (Exception exception) when (exception is OperationCanceledException or OrleansException or TimeoutException)
        {
            await error.WriteLineAsync($"Cannot reach the cluster: {exception.Message.ReplaceLineEndings(" ")}");
            return ExitCodes.Unavailable;
        }
        catch (NpgsqlException exception)
        {
            await error.WriteLineAsync($"Cannot read the patient ids: {exception.Message.ReplaceLineEndings(" ")}");
            return CommandConfiguration.ExitCodeOf(exception);
        }
    }

    private static async Task<(int Patients, List<string> Conflicts)> MoveAsync(
        NpgsqlDataSource dataSource, IClusterClient grains, string serviceId, int batchSize, TextWriter output)
    {
        var patients = 0;
        var conflicts = new List<string>();
        (long N0, long N1, string Ext) after = (long.MinValue, long.MinValue, "");
        while (true)
        {
            var page = new List<(long N0, long N1, string Ext)>();
            await using (var command = dataSource.CreateCommand(PatientPage))
            {
                command.Parameters.AddWithValue("service", serviceId);
                command.Parameters.AddWithValue("n0", after.N0);
                command.Parameters.AddWithValue("n1", after.N1);
                command.Parameters.AddWithValue("ext", after.Ext);
                command.Parameters.AddWithValue("limit", batchSize);
                await using var reader = await command.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                    page.Add((reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2)));
                }
            }

            // One batch in flight at a time: the load on the cluster is bounded by the batch size.
            var moved = await Task.WhenAll(page.Select(p => grains.GetGrain<IPatientGrain>(p.Ext).ReindexAsync()));
            for (var i = 0; i < page.Count; i++)
            {
                patients++;
                if (!moved[i])
                {
                    conflicts.Add(page[i].Ext);
                    await output.WriteLineAsync($"MRN conflict: {page[i].Ext} (its MRN is held by another patient under the active key)");
                }
            }

            if (page.Count < batchSize)
            {
                return (patients, conflicts);
            }

            after = page[^1];
            await output.WriteLineAsync($"{patients} patients re-indexed");
        }
    }

    private static async Task<List<string>> PartitionsLeftAsync(NpgsqlDataSource dataSource, string serviceId, string activeId)
    {
        await using var command = dataSource.CreateCommand(NonEmptyPartitions);
        command.Parameters.AddWithValue("service", serviceId);
        var left = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var key = reader.GetString(0);
            if (PatientIndexKeys.GenerationOf(ClinicScopedKey.Parse(key).Id) != activeId)
            {
                left.Add(key);
            }
        }

        left.Sort(StringComparer.Ordinal);
        return left;
    }
}
