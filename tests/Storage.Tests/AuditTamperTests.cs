using ClinicCluster.Audit;
using ClinicCluster.Persistence.Postgres.Audit;
using ClinicCluster.Silo.Commands;
using Npgsql;

namespace ClinicCluster.Storage.Tests;

/// <summary>
/// The audit table is append-only for every role, and the hash chain exposes what a superuser
/// who bypasses the triggers does anyway: a modified, a deleted or an inserted row.
/// </summary>
[Collection(StorageCollection.Name)]
public sealed class AuditTamperTests(StorageFixture fixture)
{
    private const string Bypass = "SET session_replication_role = replica; ";

    [Fact]
    public async Task An_untouched_chain_verifies()
    {
        var clinic = await SeedAsync(5);

        var result = await VerifyAsync(clinic);

        Assert.True(result.IsIntact, result.Problem);
        Assert.Equal(5, result.VerifiedRecords);
    }

    [Fact]
    public async Task A_modified_row_breaks_the_chain_at_that_row()
    {
        var clinic = await SeedAsync(5);
        await AsSuperuserAsync(Bypass + $"UPDATE audit.events SET patient_id = 'pat-someone-else' WHERE clinic_id = '{clinic}' AND sequence = 3");

        var result = await VerifyAsync(clinic);

        Assert.False(result.IsIntact);
        Assert.Equal(3, result.BrokenAt);
        Assert.Contains("modified", result.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_deleted_row_breaks_the_chain_after_the_gap()
    {
        var clinic = await SeedAsync(5);
        await AsSuperuserAsync(Bypass + $"DELETE FROM audit.events WHERE clinic_id = '{clinic}' AND sequence = 2");

        var result = await VerifyAsync(clinic);

        Assert.False(result.IsIntact);
        Assert.Equal(3, result.BrokenAt);
        Assert.Contains("deleted", result.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_inserted_forged_row_breaks_the_chain()
    {
        var clinic = await SeedAsync(5);
        var head = await TestDatabase.ScalarAsync<string>(fixture.Database.Owner,
            $"SELECT hash FROM audit.events WHERE clinic_id = '{clinic}' AND sequence = 3");
        // Bypassing triggers: the unique (clinic, sequence) claim would refuse it otherwise (AuditKeyedChainTests).
        await AsSuperuserAsync(Bypass + $"""
            INSERT INTO audit.events (clinic_id, sequence, event_id, recorded_at, action, outcome, resource_type, operation,
                                      http_status, previous_hash, hash)
            VALUES ('{clinic}', 4, '{Guid.NewGuid()}', now() - interval '1 second', 'read', 'success', 'Patient', 'GetPatient',
                    200, '{head}', '{new string('a', 64)}')
            """);

        var result = await VerifyAsync(clinic);

        Assert.False(result.IsIntact);
        Assert.Equal(4, result.BrokenAt);
    }

    [Theory]
    [InlineData("UPDATE audit.events SET outcome = 'denied'")]
    [InlineData("DELETE FROM audit.events")]
    [InlineData("TRUNCATE audit.events")]
    [InlineData("DELETE FROM audit.event_ids")]
    public async Task The_app_role_cannot_change_or_remove_audit_records(string sql)
    {
        var clinic = await SeedAsync(1);

        var refused = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(fixture.Database.App, sql + WhereClinic(sql, clinic)));

        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
    }

    [Theory]
    [InlineData("UPDATE audit.events SET outcome = 'denied'")]
    [InlineData("DELETE FROM audit.events")]
    public async Task Even_the_owner_is_refused_by_the_append_only_trigger(string sql)
    {
        var clinic = await SeedAsync(1);

        var refused = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(fixture.Database.Owner, sql + WhereClinic(sql, clinic)));

        Assert.Contains("append-only", refused.MessageText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_verify_command_exits_0_when_intact_and_1_on_a_broken_chain()
    {
        var intact = await SeedAsync(3);
        var broken = await SeedAsync(3);
        await AsSuperuserAsync(Bypass + $"UPDATE audit.events SET operation = 'Forged' WHERE clinic_id = '{broken}' AND sequence = 2");
        var connection = new[] { "--Postgres:ConnectionString", fixture.Database.App, "--Audit:ChainKeyFile", TestKeyRings.ChainRingFile };

        using var okOut = new StringWriter();
        var ok = await SiloCommandLine.InvokeAsync(["audit", "verify", "--clinic", intact, .. connection], okOut, TextWriter.Null);
        using var badOut = new StringWriter();
        var bad = await SiloCommandLine.InvokeAsync(["audit", "verify", "--clinic", intact, "--clinic", broken, .. connection], badOut, TextWriter.Null);

        Assert.Equal(0, ok);
        Assert.Contains("intact, 3 record(s)", okOut.ToString(), StringComparison.Ordinal);
        Assert.Equal(1, bad);
        Assert.Contains($"{broken}: BROKEN at sequence 2", badOut.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_all_reports_every_clinic_and_exits_1_when_one_is_tampered()
    {
        // A database of its own: --all walks every clinic, and the tests above leave broken chains behind.
        var database = new TestDatabase();
        await database.InitializeAsync();
        var checkpointDirectory = Directory.CreateTempSubdirectory("audit-checkpoints-").FullName;
        try
        {
            await database.MigrateAsync();
            var first = await SeedAsync(3, connectionString: database.App);
            var second = await SeedAsync(2, connectionString: database.App);
            var arguments = new[]
            {
                "--all", "--Postgres:ConnectionString", database.App, "--Audit:ChainKeyFile", TestKeyRings.ChainRingFile,
                "--Audit:CheckpointDirectory", checkpointDirectory,
            };

            using var okOut = new StringWriter();
            Assert.Equal(0, await SiloCommandLine.InvokeAsync(["audit", "verify", .. arguments], okOut, TextWriter.Null));
            // One line per clinic (its walk's seconds and rows/s at the end), then the total line.
            string[] expected = [$"{first}: intact, 3 record(s) verified, no checkpoint (", $"{second}: intact, 2 record(s) verified, no checkpoint ("];
            var lines = okOut.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(3, lines.Length);
            Assert.Equal(expected.Order(StringComparer.Ordinal), lines[..2].Select(l => l[..(l.LastIndexOf(" (", StringComparison.Ordinal) + 2)]).Order(StringComparer.Ordinal));
            Assert.StartsWith("all clinics: intact, 5 record(s) verified in 2 clinic(s) (", lines[2], StringComparison.Ordinal);

            await ExecuteAsync(database.Superuser, Bypass + $"UPDATE audit.events SET operation = 'Forged' WHERE clinic_id = '{second}' AND sequence = 2");
            using var badOut = new StringWriter();
            Assert.Equal(1, await SiloCommandLine.InvokeAsync(["audit", "verify", .. arguments], badOut, TextWriter.Null));
            Assert.Contains($"{first}: intact, 3 record(s)", badOut.ToString(), StringComparison.Ordinal);
            Assert.Contains($"{second}: BROKEN at sequence 2", badOut.ToString(), StringComparison.Ordinal);

            // A chain deleted whole leaves no row to find it by; its signed checkpoint still names the clinic.
            var checkpoints = new AuditCheckpoints(checkpointDirectory, TestKeyRings.ChainKeys);
            var head = await TestDatabase.ScalarAsync<string>(database.Owner, $"SELECT hash FROM audit.events WHERE clinic_id = '{first}' AND sequence = 3");
            Assert.True(checkpoints.Write(checkpoints.Sign(first, 3, head, DateTimeOffset.UtcNow)));
            await ExecuteAsync(database.Superuser, Bypass + $"DELETE FROM audit.events WHERE clinic_id = '{first}'");
            using var goneOut = new StringWriter();
            Assert.Equal(1, await SiloCommandLine.InvokeAsync(["audit", "verify", .. arguments], goneOut, TextWriter.Null));
            Assert.Contains($"{first}: BROKEN at sequence 1 after 0 intact record(s)", goneOut.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(checkpointDirectory, recursive: true);
            await database.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_redelivered_event_is_stored_once()
    {
        await using var dataSource = NpgsqlDataSource.Create(fixture.Database.App);
        var store = new PostgresAuditStore(dataSource, TestKeyRings.ChainKeys);
        var auditEvent = Event(TestData.NewId("aud"));

        Assert.True(await store.AppendAsync(auditEvent));
        Assert.False(await store.AppendAsync(auditEvent));

        var count = await TestDatabase.ScalarAsync<long>(fixture.Database.Owner,
            $"SELECT count(*) FROM audit.events WHERE event_id = '{auditEvent.EventId}'");
        Assert.Equal(1, count);
    }

    [Fact]
    public async Task A_batch_is_chained_in_order_and_skips_ids_already_stored_or_repeated()
    {
        await using var dataSource = NpgsqlDataSource.Create(fixture.Database.App);
        var store = new PostgresAuditStore(dataSource, TestKeyRings.ChainKeys);
        var clinic = TestData.NewId("aud");
        var stored = Event(clinic);
        Assert.True(await store.AppendAsync(stored));
        var fresh = Enumerable.Range(0, 50).Select(_ => Event(clinic)).ToList();
        // A redelivered event and an event twice in one delivery, among new ones.
        List<AuditEvent> batch = [fresh[0], stored, .. fresh[1..25], fresh[3], .. fresh[25..]];

        var added = await store.AppendBatchAsync(batch);

        Assert.Equal(fresh.Select(e => e.EventId), added.Select(r => r.Event.EventId));
        Assert.Equal(Enumerable.Range(2, 50).Select(i => (long)i), added.Select(r => r.Sequence));
        Assert.Empty(await store.AppendBatchAsync(batch));
        var result = await VerifyAsync(clinic);
        Assert.True(result.IsIntact, result.Problem);
        Assert.Equal(51, result.VerifiedRecords);
    }

    [Fact]
    public async Task Concurrent_batches_of_one_clinic_keep_one_linear_chain()
    {
        // Two activations of a clinic's log grain (a silo declared dead that still runs) may append
        // at once, with overlapping redeliveries: the advisory lock orders them, no deadlock.
        await using var dataSource = NpgsqlDataSource.Create(fixture.Database.App);
        var store = new PostgresAuditStore(dataSource, TestKeyRings.ChainKeys);
        var clinic = TestData.NewId("aud");
        var events = Enumerable.Range(0, 200).Select(_ => Event(clinic)).ToList();
        var batches = Enumerable.Range(0, 20).Select(i => events.Skip(i * 10).Take(20).Reverse().ToList()).ToList();

        var added = await Task.WhenAll(batches.Select(b => Task.Run(() => store.AppendBatchAsync(b))));

        Assert.Equal(200, added.Sum(a => a.Count));
        var result = await VerifyAsync(clinic);
        Assert.True(result.IsIntact, result.Problem);
        Assert.Equal(200, result.VerifiedRecords);
    }

    private static string WhereClinic(string sql, string clinic) =>
        sql.StartsWith("TRUNCATE", StringComparison.Ordinal) ? "" : $" WHERE clinic_id = '{clinic}'";

    private async Task<string> SeedAsync(int count, AuditChainKeys? keys = null, string? clinicId = null, string? connectionString = null)
    {
        var clinic = clinicId ?? TestData.NewId("aud");
        await using var dataSource = NpgsqlDataSource.Create(connectionString ?? fixture.Database.App);
        var store = new PostgresAuditStore(dataSource, keys ?? TestKeyRings.ChainKeys);
        for (var i = 0; i < count; i++)
        {
            Assert.True(await store.AppendAsync(Event(clinic)));
        }

        return clinic;
    }

    private async Task<AuditVerification> VerifyAsync(string clinic, AuditChainKeys? keys = null, AuditCheckpoints? checkpoints = null)
    {
        await using var dataSource = NpgsqlDataSource.Create(fixture.Database.App);
        return await new AuditChainVerifier(dataSource, keys ?? TestKeyRings.ChainKeys, checkpoints).VerifyAsync(clinic, CancellationToken.None);
    }

    private Task AsSuperuserAsync(string sql) => ExecuteAsync(fixture.Database.Superuser, sql);

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static AuditEvent Event(string clinic) => new(
        Guid.CreateVersion7(), DateTimeOffset.UtcNow, clinic, AuditAction.Read, AuditOutcome.Success,
        new AuditActor("tester", "admin", "127.0.0.1", "tests"), "pat-1", "Patient", "pat-1", "GetPatient", 200,
        "TREAT", null, null, null);
}
