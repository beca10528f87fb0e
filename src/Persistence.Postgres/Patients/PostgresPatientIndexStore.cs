using ClinicCluster.Patients;
using Npgsql;

namespace ClinicCluster.Persistence.Postgres.Patients;

/// <summary>
/// The patient index entries in PostgreSQL (<c>orleans.patient_index_entries</c>, decision 0030):
/// one row per entry, one statement per write. A claim is an <c>INSERT ... ON CONFLICT</c> that
/// only the current owner may turn into an update, so the primary key decides a race for an MRN.
/// A registration's MRN claim and name entries are one statement, so one transaction and one
/// durable commit (decision 0048): the names are written only if the claim is this owner's.
/// </summary>
public sealed class PostgresPatientIndexStore(NpgsqlDataSource dataSource) : IPatientIndexStore
{
    private const string Load = "SELECT entry_key, owner_id, payload FROM orleans.patient_index_entries WHERE partition_key = @p";

    private const string LoadStamps = "SELECT entry_key, owner_id, right(payload, @n) FROM orleans.patient_index_entries WHERE partition_key = @p";

    private const string LoadKeys = "SELECT entry_key, owner_id, payload FROM orleans.patient_index_entries WHERE partition_key = @p AND entry_key = ANY(@k)";

    private const string Get = "SELECT entry_key, owner_id, payload FROM orleans.patient_index_entries WHERE partition_key = @p AND entry_key = @k";

    // The claim, then the other entries only if the claim returned a row (this owner holds the key):
    // data-modifying CTEs run once and to completion, in the statement's one transaction.
    private const string Put = """
        WITH claim AS (
            INSERT INTO orleans.patient_index_entries AS e (partition_key, entry_key, owner_id, payload)
            VALUES (@p, @k, @o, @v)
            ON CONFLICT (partition_key, entry_key) DO UPDATE SET payload = excluded.payload, modified_at = now()
             WHERE e.owner_id = excluded.owner_id
            RETURNING owner_id
        ), rest AS (
            INSERT INTO orleans.patient_index_entries AS e (partition_key, entry_key, owner_id, payload)
            SELECT r.p, r.k, @o, r.v FROM unnest(@rp::text[], @rk::text[], @rv::text[]) AS r(p, k, v)
             WHERE EXISTS (SELECT 1 FROM claim)
            ON CONFLICT (partition_key, entry_key) DO UPDATE SET payload = excluded.payload, modified_at = now()
             WHERE e.owner_id = excluded.owner_id
        )
        SELECT owner_id FROM claim
        """;

    private const string Remove = "DELETE FROM orleans.patient_index_entries WHERE partition_key = @p AND entry_key = @k AND owner_id = @o";

    // A put that lost to another owner reads who holds the key; if that owner let go in between,
    // the put is tried again. Each round needs a concurrent release, so a few rounds are plenty.
    private const int PutAttempts = 5;

    public async Task<IReadOnlyList<PatientIndexEntry>> LoadAsync(string partition)
    {
        await using var command = dataSource.CreateCommand(Load);
        command.Parameters.AddWithValue("p", partition);
        return await ReadAsync(command);
    }

    public async Task<IReadOnlyList<PatientIndexStamp>> LoadStampsAsync(string partition)
    {
        await using var command = dataSource.CreateCommand(LoadStamps);
        command.Parameters.AddWithValue("p", partition);
        command.Parameters.AddWithValue("n", PatientIndexStamp.Length);
        var stamps = new List<PatientIndexStamp>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            stamps.Add(new PatientIndexStamp(reader.GetString(0), reader.GetString(1), reader.GetString(2)));
        }

        return stamps;
    }

    public async Task<IReadOnlyList<PatientIndexEntry>> LoadAsync(string partition, IReadOnlyCollection<string> keys)
    {
        await using var command = dataSource.CreateCommand(LoadKeys);
        command.Parameters.AddWithValue("p", partition);
        command.Parameters.AddWithValue("k", keys.ToArray());
        return await ReadAsync(command);
    }

    public async Task<PatientIndexEntry?> GetAsync(string partition, string key)
    {
        await using var command = dataSource.CreateCommand(Get);
        command.Parameters.AddWithValue("p", partition);
        command.Parameters.AddWithValue("k", key);
        return (await ReadAsync(command)).SingleOrDefault();
    }

    public Task<string> PutAsync(string partition, PatientIndexEntry entry) => PutAsync(partition, entry, []);

    public async Task<string> PutAsync(string partition, PatientIndexEntry claim, IReadOnlyList<PartitionedIndexEntry> rest)
    {
        if (rest.Any(r => r.Entry.Owner != claim.Owner))
        {
            throw new ArgumentException("Entries written with a claim belong to the claim's owner.", nameof(rest));
        }

        for (var attempt = 1; ; attempt++)
        {
            await using var put = dataSource.CreateCommand(Put);
            put.Parameters.AddWithValue("p", partition);
            put.Parameters.AddWithValue("k", claim.Key);
            put.Parameters.AddWithValue("o", claim.Owner);
            put.Parameters.AddWithValue("v", claim.Value);
            put.Parameters.AddWithValue("rp", rest.Select(r => r.Partition).ToArray());
            put.Parameters.AddWithValue("rk", rest.Select(r => r.Entry.Key).ToArray());
            put.Parameters.AddWithValue("rv", rest.Select(r => r.Entry.Value).ToArray());
            if (await put.ExecuteScalarAsync() is string owner)
            {
                return owner;
            }

            await using var get = dataSource.CreateCommand(Get);
            get.Parameters.AddWithValue("p", partition);
            get.Parameters.AddWithValue("k", claim.Key);
            if ((await ReadAsync(get)).SingleOrDefault() is { } holder)
            {
                return holder.Owner;
            }

            if (attempt == PutAttempts)
            {
                throw new InvalidOperationException($"An entry of index partition {partition} kept changing owner.");
            }
        }
    }

    public async Task<bool> RemoveAsync(string partition, string key, string owner)
    {
        await using var command = dataSource.CreateCommand(Remove);
        command.Parameters.AddWithValue("p", partition);
        command.Parameters.AddWithValue("k", key);
        command.Parameters.AddWithValue("o", owner);
        return await command.ExecuteNonQueryAsync() == 1;
    }

    private static async Task<List<PatientIndexEntry>> ReadAsync(NpgsqlCommand command)
    {
        var entries = new List<PatientIndexEntry>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            entries.Add(new PatientIndexEntry(reader.GetString(0), reader.GetString(1), reader.GetString(2)));
        }

        return entries;
    }
}
