using Npgsql;

namespace ClinicCluster.Storage.Tests;

/// <summary>
/// A month added to the audit trail later (past the partitions the first migration made) refuses
/// TRUNCATE for every role but clinic_retention, without anyone adding the trigger by hand.
/// </summary>
[Collection(StorageCollection.Name)]
public sealed class AuditPartitionTests(StorageFixture fixture)
{
    [Fact]
    public async Task A_month_added_the_documented_way_refuses_truncate_except_for_the_retention_role()
    {
        var name = await TestDatabase.ScalarAsync<string>(fixture.Database.Owner, "SELECT audit.add_month_partition(date '2036-01-01')");
        Assert.Equal("events_2036_01", name);
        await AssertOnlyRetentionTruncatesAsync("audit.events_2036_01");

        // Adding it again is a no-op, and a month must start on its first day.
        Assert.Equal("events_2036_01", await TestDatabase.ScalarAsync<string>(fixture.Database.Owner, "SELECT audit.add_month_partition(date '2036-01-01')"));
        var wrongDay = await Assert.ThrowsAsync<PostgresException>(() =>
            TestDatabase.ScalarAsync<string>(fixture.Database.Owner, "SELECT audit.add_month_partition(date '2036-02-15')"));
        Assert.Equal(PostgresErrorCodes.InvalidParameterValue, wrongDay.SqlState);
    }

    [Fact]
    public async Task A_partition_attached_by_hand_is_guarded_by_the_sweep()
    {
        await ExecuteAsync(fixture.Database.Owner,
            "CREATE TABLE audit.events_2036_06 PARTITION OF audit.events FOR VALUES FROM ('2036-06-01') TO ('2036-07-01')");

        Assert.Equal(1, await TestDatabase.ScalarAsync<int>(fixture.Database.Owner, "SELECT audit.guard_partitions()"));
        await AssertOnlyRetentionTruncatesAsync("audit.events_2036_06");
        Assert.Equal(0, await TestDatabase.ScalarAsync<int>(fixture.Database.Owner, "SELECT audit.guard_partitions()"));
    }

    private async Task AssertOnlyRetentionTruncatesAsync(string table)
    {
        var sql = $"TRUNCATE {table}";
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
