using Npgsql;

namespace ClinicCluster.Storage.Tests;

/// <summary>
/// The API's database role (clinic_api) reads the gateway list and enqueues audit events, and
/// nothing else; only the retention role may truncate audit history.
/// </summary>
[Collection(StorageCollection.Name)]
public sealed class ApiRoleTests(StorageFixture fixture)
{
    [Theory]
    [InlineData("SELECT payload FROM orleans.grain_state LIMIT 1")]
    [InlineData("SELECT count(*) FROM orleans.grain_state")]
    [InlineData("SELECT count(*) FROM orleans.reminders")]
    [InlineData("SELECT payload FROM orleans.stream_messages LIMIT 1")]
    [InlineData("SELECT count(*) FROM orleans.stream_dead_letters")]
    [InlineData("SELECT count(*) FROM scheduling.appointment_ledger")]
    [InlineData("SELECT count(*) FROM audit.events")]
    [InlineData("INSERT INTO audit.events (clinic_id, sequence, event_id, recorded_at, action, outcome, resource_type, operation, http_status, previous_hash, hash) VALUES ('c', 1, gen_random_uuid(), now(), 'read', 'success', 'Patient', 'GetPatient', 200, repeat('0', 64), repeat('0', 64))")]
    [InlineData("INSERT INTO audit.event_ids (event_id, clinic_id) VALUES (gen_random_uuid(), 'c')")]
    [InlineData("INSERT INTO orleans.grain_state (service_id, grain_type, grain_id_n0, grain_id_n1, grain_id_ext, payload, version) VALUES ('x', 'patient', 0, 0, 'c/p', '{}', 1)")]
    [InlineData("INSERT INTO orleans.membership_version (deployment_id) VALUES ('x')")]
    [InlineData("DELETE FROM orleans.membership")]
    [InlineData("UPDATE orleans.orleansquery SET querytext = 'SELECT 1'")]
    public async Task The_api_role_cannot_read_state_or_write_anything_but_the_audit_queue(string sql)
    {
        var refused = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(fixture.Database.Api, sql));

        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
    }

    [Fact]
    public async Task The_api_role_reads_the_gateway_list_and_enqueues_audit_batches()
    {
        var gateways = await TestDatabase.ScalarAsync<long>(fixture.Database.Api,
            "SELECT count(*) FROM orleans.membership WHERE proxy_port > 0");
        var query = await TestDatabase.ScalarAsync<string>(fixture.Database.Api,
            "SELECT querytext FROM orleans.orleansquery WHERE querykey = 'QueueStreamMessageKey'");
        var id = await TestDatabase.ScalarAsync<long>(fixture.Database.Api, """
            INSERT INTO orleans.stream_messages (service_id, provider_id, queue_id, visible_on, expires_on, created_on, modified_on, payload)
            VALUES ('api-role-test', 'audit', 'audit-0', now(), now() + interval '1 minute', now(), now(), '\x00')
            RETURNING message_id
            """);

        Assert.True(gateways >= 1); // the storage fixture's silo
        Assert.Contains("INSERT INTO orleans.stream_messages", query, StringComparison.Ordinal);
        Assert.True(id > 0);
    }

    [Fact]
    public async Task Only_the_retention_role_may_truncate_audit_history()
    {
        // A month kept ahead of today (migration 0470 keeps three; farther empty months are dropped).
        var sql = $"TRUNCATE audit.events_{DateTime.UtcNow.AddMonths(2):yyyy_MM}";

        var owner = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(fixture.Database.Owner, sql));
        var app = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(fixture.Database.App, sql));
        await ExecuteAsync(fixture.Database.Retention, sql);

        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, owner.SqlState);
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, app.SqlState);
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
