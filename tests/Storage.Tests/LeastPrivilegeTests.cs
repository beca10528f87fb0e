using Npgsql;

namespace ClinicCluster.Storage.Tests;

/// <summary>What the silos' runtime role (clinic_app) may and may not do.</summary>
[Collection(StorageCollection.Name)]
public sealed class LeastPrivilegeTests(StorageFixture fixture)
{
    [Theory]
    [InlineData("CREATE TABLE orleans.intruder (id int)")]
    [InlineData("CREATE TABLE public.intruder (id int)")]
    [InlineData("DROP TABLE orleans.grain_state")]
    [InlineData("ALTER TABLE orleans.membership ADD COLUMN intruder int")]
    [InlineData("TRUNCATE orleans.reminders")]
    [InlineData("CREATE SCHEMA intruder")]
    [InlineData("UPDATE orleans.orleansquery SET querytext = 'SELECT 1' WHERE querykey = 'ReadFromStorageKey'")]
    [InlineData("DELETE FROM orleans.schema_migrations")]
    public async Task The_app_role_cannot_change_the_schema_or_the_queries(string sql)
    {
        var refused = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsApp(sql));

        Assert.Contains(refused.SqlState, new[] { PostgresErrorCodes.InsufficientPrivilege });
    }

    [Fact]
    public async Task The_app_role_reads_and_writes_orleans_rows()
    {
        var id = TestData.NewId("acl");

        await ExecuteAsApp(
            $"INSERT INTO orleans.grain_state (service_id, grain_type, grain_id_n0, grain_id_n1, grain_id_ext, payload, version) VALUES ('acl', 'acl', 0, 0, '{id}', '{{}}', 1)");
        await ExecuteAsApp($"UPDATE orleans.grain_state SET version = 2 WHERE service_id = 'acl' AND grain_id_ext = '{id}'");
        var version = await TestDatabase.ScalarAsync<int>(fixture.Database.App,
            $"SELECT version FROM orleans.grain_state WHERE service_id = 'acl' AND grain_id_ext = '{id}'");
        await ExecuteAsApp($"DELETE FROM orleans.grain_state WHERE service_id = 'acl' AND grain_id_ext = '{id}'");

        Assert.Equal(2, version);
        Assert.True(await TestDatabase.ScalarAsync<long>(fixture.Database.App, "SELECT count(*) FROM orleans.orleansquery") > 0);
    }

    private async Task ExecuteAsApp(string sql)
    {
        await using var connection = new NpgsqlConnection(fixture.Database.App);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
