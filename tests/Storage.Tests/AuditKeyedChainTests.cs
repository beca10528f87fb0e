using ClinicCluster.Audit;
using ClinicCluster.Security;
using ClinicCluster.Silo.Audit;
using ClinicCluster.Silo.Commands;
using Npgsql;

namespace ClinicCluster.Storage.Tests;

/// <summary>
/// The keyed, anchored chain: an intruder who rewrites the whole tail consistently, but without the
/// chain key, is detected; so is a tail removed behind the signed checkpoint, a forged checkpoint,
/// a duplicate sequence, and a TRUNCATE by any role but retention. Chain keys rotate.
/// </summary>
[Collection(StorageCollection.Name)]
public sealed class AuditKeyedChainTests(StorageFixture fixture) : IDisposable
{
    private const string Bypass = "SET session_replication_role = replica; ";
    private readonly string _checkpoints = Directory.CreateTempSubdirectory("audit-checkpoints-").FullName;

    public void Dispose() => Directory.Delete(_checkpoints, recursive: true);

    [Theory]
    [InlineData("unkeyed")]
    [InlineData("guessed-key")]
    public async Task A_whole_tail_rewritten_consistently_without_the_key_is_detected(string forgery)
    {
        var clinic = await SeedAsync(6);
        var rows = await ReadChainAsync(clinic);

        // From sequence 3 on: other content, each link recomputed from the forged row before it.
        var guessed = new AuditChainKey(TestKeyRings.ChainKeyId, new byte[32]);
        var previous = rows[1].Hash;
        var sql = new System.Text.StringBuilder(Bypass);
        foreach (var row in rows.Skip(2))
        {
            var forged = row.Event with { PatientId = "pat-innocent", ResourceId = "pat-innocent" };
            var hash = forgery == "unkeyed" ? AuditChain.UnkeyedHash(previous, forged) : AuditChain.Hash(previous, forged, guessed);
            var keyId = forgery == "unkeyed" ? "NULL" : $"'{TestKeyRings.ChainKeyId}'";
            sql.Append($"UPDATE audit.events SET patient_id = 'pat-innocent', resource_id = 'pat-innocent', previous_hash = '{previous}', " +
                       $"hash = '{hash}', chain_key_id = {keyId} WHERE clinic_id = '{clinic}' AND sequence = {row.Sequence};");
            previous = hash;
        }

        await ExecuteAsync(fixture.Database.Superuser, sql.ToString());

        var result = await VerifyAsync(clinic);
        Assert.False(result.IsIntact);
        Assert.Equal(3, result.BrokenAt);
        Assert.Contains(forgery == "unkeyed" ? "unkeyed row after keyed ones" : "under its chain key", result.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_tail_removed_behind_the_signed_checkpoint_is_detected()
    {
        var clinic = await SeedAsync(5);
        var checkpoints = new AuditCheckpoints(_checkpoints, TestKeyRings.ChainKeys);
        var head = (await ReadChainAsync(clinic))[^1];
        Assert.True(checkpoints.Write(checkpoints.Sign(clinic, head.Sequence, head.Hash, DateTimeOffset.UtcNow)));
        Assert.True((await VerifyAsync(clinic, checkpoints: checkpoints)).IsIntact);

        // Without the checkpoint, a cut-off chain looks whole.
        await ExecuteAsync(fixture.Database.Superuser, Bypass + $"DELETE FROM audit.events WHERE clinic_id = '{clinic}' AND sequence > 3");
        Assert.True((await VerifyAsync(clinic)).IsIntact);

        var result = await VerifyAsync(clinic, checkpoints: checkpoints);
        Assert.False(result.IsIntact);
        Assert.Contains("removed tail", result.Problem, StringComparison.Ordinal);

        // And the cut-off head cannot re-anchor itself: a checkpoint never moves backwards.
        Assert.False(checkpoints.Write(checkpoints.Sign(clinic, 3, (await ReadChainAsync(clinic))[^1].Hash, DateTimeOffset.UtcNow)));
    }

    [Fact]
    public async Task A_checkpoint_edited_or_signed_without_the_key_is_refused()
    {
        var clinic = await SeedAsync(3);
        var checkpoints = new AuditCheckpoints(_checkpoints, TestKeyRings.ChainKeys);
        var head = (await ReadChainAsync(clinic))[^1];
        checkpoints.Write(checkpoints.Sign(clinic, head.Sequence, head.Hash, DateTimeOffset.UtcNow));
        var path = Path.Combine(_checkpoints, clinic + ".checkpoint.json");
        File.WriteAllText(path, File.ReadAllText(path).Replace("\"sequence\": 3", "\"sequence\": 2", StringComparison.Ordinal));

        var result = await VerifyAsync(clinic, checkpoints: checkpoints);

        Assert.False(result.IsIntact);
        Assert.Contains("forged checkpoint", result.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_checkpoint_writer_anchors_every_clinic_and_verify_checks_the_anchor()
    {
        var clinic = await SeedAsync(4);
        var options = Microsoft.Extensions.Options.Options.Create(new AuditChainOptions { CheckpointDirectory = _checkpoints });
        await using var dataSource = NpgsqlDataSource.Create(fixture.Database.App);
        var writer = new AuditCheckpointWriter(dataSource, TestKeyRings.ChainKeys, options, TimeProvider.System,
            Microsoft.Extensions.Logging.Abstractions.NullLogger<AuditCheckpointWriter>.Instance);

        Assert.True(await writer.WriteAsync(CancellationToken.None) >= 1);
        var connection = new[]
        {
            "--Postgres:ConnectionString", fixture.Database.App, "--Audit:ChainKeyFile", TestKeyRings.ChainRingFile,
            "--Audit:CheckpointDirectory", _checkpoints,
        };
        using var intact = new StringWriter();
        Assert.Equal(0, await SiloCommandLine.InvokeAsync(["audit", "verify", "--clinic", clinic, .. connection], intact, TextWriter.Null));
        Assert.Contains("signed checkpoint at sequence 4 matches", intact.ToString(), StringComparison.Ordinal);

        await ExecuteAsync(fixture.Database.Superuser, Bypass + $"DELETE FROM audit.events WHERE clinic_id = '{clinic}' AND sequence = 4");
        using var broken = new StringWriter();
        Assert.Equal(1, await SiloCommandLine.InvokeAsync(["audit", "verify", "--clinic", clinic, .. connection], broken, TextWriter.Null));
        Assert.Contains("removed tail", broken.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Chain_keys_rotate_old_links_verify_while_their_key_is_in_the_ring()
    {
        var clinic = TestData.NewId("aud");
        var oldKey = KeyRing.NewKeyBase64();
        var first = Keys("old", ("old", oldKey));
        var rotated = Keys("new", ("old", oldKey), ("new", KeyRing.NewKeyBase64()));
        await SeedAsync(2, first, clinic);
        await SeedAsync(2, rotated, clinic);

        var rows = await ReadChainAsync(clinic);
        Assert.Equal(["old", "old", "new", "new"], rows.Select(r => r.ChainKeyId));
        Assert.True((await VerifyAsync(clinic, rotated)).IsIntact);

        var withoutOld = await VerifyAsync(clinic, Keys("new", ("new", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")));
        Assert.False(withoutOld.IsIntact);
        Assert.Equal(1, withoutOld.BrokenAt);
        Assert.Contains("not in the chain key ring", withoutOld.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_second_row_with_a_taken_sequence_is_refused_for_every_writer()
    {
        var clinic = await SeedAsync(2);
        var head = (await ReadChainAsync(clinic))[^1];
        var insert = $"""
            INSERT INTO audit.events (clinic_id, sequence, event_id, recorded_at, action, outcome, resource_type, operation,
                                      http_status, previous_hash, hash)
            VALUES ('{clinic}', 2, '{Guid.NewGuid()}', now() + interval '40 days', 'read', 'success', 'Patient', 'GetPatient',
                    200, '{head.PreviousHash}', '{new string('b', 64)}')
            """;

        var app = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(fixture.Database.App, insert));
        var owner = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(fixture.Database.Owner, insert));

        Assert.Equal(PostgresErrorCodes.UniqueViolation, app.SqlState);
        Assert.Equal(PostgresErrorCodes.UniqueViolation, owner.SqlState);
    }

    [Fact]
    public async Task A_taken_sequence_is_refused_when_inserted_into_a_partition_by_name_or_twice_in_one_statement()
    {
        var clinic = await SeedAsync(2);
        var partition = $"audit.events_{DateTime.UtcNow:yyyy_MM}";
        string Row(long sequence) => $"('{clinic}', {sequence}, '{Guid.NewGuid()}', now(), 'read', 'success', 'Patient', 'GetPatient', 200, " +
                                     $"'{new string('a', 64)}', '{new string('b', 64)}')";
        const string Columns = "(clinic_id, sequence, event_id, recorded_at, action, outcome, resource_type, operation, http_status, previous_hash, hash)";

        // The position claim is a statement trigger: on the parent and on every partition.
        var byName = await Assert.ThrowsAsync<PostgresException>(() =>
            ExecuteAsync(fixture.Database.Owner, $"INSERT INTO {partition} {Columns} VALUES {Row(2)}"));
        var twice = await Assert.ThrowsAsync<PostgresException>(() =>
            ExecuteAsync(fixture.Database.Owner, $"INSERT INTO audit.events {Columns} VALUES {Row(3)}, {Row(3)}"));

        Assert.Equal(PostgresErrorCodes.UniqueViolation, byName.SqlState);
        Assert.Equal(PostgresErrorCodes.UniqueViolation, twice.SqlState);
        Assert.Equal(2, (await ReadChainAsync(clinic)).Count);
    }

    [Fact]
    public async Task The_chain_head_row_follows_every_append_and_a_lower_sequence_never_moves_it_back()
    {
        var clinic = await SeedAsync(3);
        var chain = await ReadChainAsync(clinic);
        Assert.Equal((3L, chain[^1].Hash), await ReadHeadAsync(clinic));

        // A row inserted below the head (by the owner, out of the chain's order) does not move it.
        await ExecuteAsync(fixture.Database.Superuser, Bypass + $"DELETE FROM audit.chain_positions WHERE clinic_id = '{clinic}' AND sequence = 1");
        await ExecuteAsync(fixture.Database.Owner,
            "INSERT INTO audit.events (clinic_id, sequence, event_id, recorded_at, action, outcome, resource_type, operation, http_status, previous_hash, hash) " +
            $"VALUES ('{clinic}', 1, '{Guid.NewGuid()}', now() + interval '40 days', 'read', 'success', 'Patient', 'GetPatient', 200, " +
            $"'{new string('a', 64)}', '{new string('c', 64)}')");
        Assert.Equal((3L, chain[^1].Hash), await ReadHeadAsync(clinic));

        var refused = await Assert.ThrowsAsync<PostgresException>(() =>
            ExecuteAsync(fixture.Database.Owner, $"DELETE FROM audit.chain_heads WHERE clinic_id = '{clinic}'"));
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
    }

    [Theory]
    [InlineData("TRUNCATE audit.events")]
    [InlineData("TRUNCATE audit.events_default")]
    [InlineData("TRUNCATE audit.event_ids")]
    [InlineData("TRUNCATE audit.chain_positions")]
    [InlineData("TRUNCATE audit.chain_heads")]
    public async Task Even_the_owner_cannot_truncate_the_audit_tables(string sql)
    {
        await SeedAsync(1);

        var refused = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(fixture.Database.Owner, sql));

        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
    }

    private static AuditChainKeys Keys(string active, params (string Id, string Key)[] keys) =>
        new(KeyRing.Load(TestKeyRings.Write("chain", active, keys, indexKey: null), "Audit:ChainKeyFile", requireIndexKey: false));

    private async Task<string> SeedAsync(int count, AuditChainKeys? keys = null, string? clinicId = null)
    {
        var clinic = clinicId ?? TestData.NewId("aud");
        await using var dataSource = NpgsqlDataSource.Create(fixture.Database.App);
        var store = new PostgresAuditStore(dataSource, keys ?? TestKeyRings.ChainKeys);
        for (var i = 0; i < count; i++)
        {
            Assert.True(await store.AppendAsync(new AuditEvent(
                Guid.CreateVersion7(), DateTimeOffset.UtcNow, clinic, AuditAction.Read, AuditOutcome.Success,
                new AuditActor("tester", "clinician", "127.0.0.1", "tests"), $"pat-{i}", "Patient", $"pat-{i}", "GetPatient", 200,
                "TREAT", null, null, null)));
        }

        return clinic;
    }

    private async Task<IReadOnlyList<AuditRecord>> ReadChainAsync(string clinic)
    {
        await using var dataSource = NpgsqlDataSource.Create(fixture.Database.App);
        return await new PostgresAuditStore(dataSource, TestKeyRings.ChainKeys).QueryAsync(clinic, new AuditQuery(null, null, null, null, 0, 1000));
    }

    private async Task<AuditVerification> VerifyAsync(string clinic, AuditChainKeys? keys = null, AuditCheckpoints? checkpoints = null)
    {
        await using var dataSource = NpgsqlDataSource.Create(fixture.Database.App);
        return await new AuditChainVerifier(dataSource, keys ?? TestKeyRings.ChainKeys, checkpoints).VerifyAsync(clinic, CancellationToken.None);
    }

    private async Task<(long Sequence, string Hash)> ReadHeadAsync(string clinic)
    {
        await using var connection = new NpgsqlConnection(fixture.Database.App);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT sequence, hash FROM audit.chain_heads WHERE clinic_id = @clinic", connection);
        command.Parameters.AddWithValue("clinic", clinic);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        return (reader.GetInt64(0), reader.GetString(1));
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
