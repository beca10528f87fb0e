using Npgsql;

namespace ClinicCluster.Storage.Tests;

/// <summary>
/// The stream queue's stored queries (migration 0300) run as the application role with the
/// parameter names and types Orleans' ADO.NET streaming provider sends, and keep its contract:
/// leases with receipts, stale receipts refused, failures paced or dead-lettered, dead letters kept.
/// </summary>
[Collection(StorageCollection.Name)]
public sealed class AuditStreamQueueSqlTests(StorageFixture fixture)
{
    private const string Service = "sql-tests";
    private const int MaxAttempts = 3;

    private readonly string _provider = TestData.NewId("provider");

    [Fact]
    public async Task A_leased_message_is_hidden_until_confirmed_with_its_receipt()
    {
        var id = await EnqueueAsync(expirySeconds: 3600);

        var leased = Assert.Single(await DequeueAsync());
        Assert.Equal((id, 1), leased);
        Assert.Empty(await DequeueAsync());

        // A stale or foreign receipt confirms nothing; the current one deletes the row.
        Assert.Empty(await ConfirmAsync($"{id}:2"));
        Assert.Equal([id], await ConfirmAsync($"{id}:1"));
        Assert.Equal(0L, await CountAsync("stream_messages"));
    }

    [Fact]
    public async Task A_released_lease_is_delivered_again_with_a_new_receipt()
    {
        var id = await EnqueueAsync(expirySeconds: 3600);
        await DequeueAsync();

        Assert.Equal([id], await ConfirmAsync($"{id}:-1"));
        Assert.Equal((id, 2), Assert.Single(await DequeueAsync()));
        // The old lease can no longer confirm or release it.
        Assert.Empty(await ConfirmAsync($"{id}:1|{id}:-1"));
    }

    [Fact]
    public async Task A_failed_delivery_waits_for_its_lease_and_goes_to_dead_letters_when_out_of_attempts()
    {
        var id = await EnqueueAsync(expirySeconds: 3600);
        await DequeueAsync(visibilitySeconds: 0);
        await FailAsync(id);
        Assert.Equal(1L, await CountAsync("stream_messages"));

        await DequeueAsync(visibilitySeconds: 0);
        await DequeueAsync(visibilitySeconds: 0);
        await FailAsync(id);

        Assert.Equal(0L, await CountAsync("stream_messages"));
        Assert.Equal("attempts", await DeadLetterReasonAsync(id));
    }

    [Fact]
    public async Task Expired_and_exhausted_messages_move_to_dead_letters_and_stay_there()
    {
        var expired = await EnqueueAsync(expirySeconds: 0);
        var exhausted = await EnqueueAsync(expirySeconds: 3600);
        for (var i = 0; i < MaxAttempts; i++)
        {
            await DequeueAsync(visibilitySeconds: 0);
        }

        // Expired rows are never leased; housekeeping moves them, and exhausted rows whose last lease is over.
        await ExecuteAsync("EvictStreamMessagesKey", ("MaxCount", 100), ("MaxAttempts", MaxAttempts), ("RemovalTimeout", 0));
        await ExecuteAsync("EvictStreamDeadLettersKey", ("MaxCount", 100));

        Assert.Equal("expired", await DeadLetterReasonAsync(expired));
        Assert.Equal("attempts", await DeadLetterReasonAsync(exhausted));
        Assert.Equal(0L, await CountAsync("stream_messages"));
    }

    [Fact]
    public async Task Leasing_runs_due_housekeeping_once_per_interval()
    {
        var first = await EnqueueAsync(expirySeconds: 0);
        Assert.Empty(await DequeueAsync(evictionSeconds: 3600));
        Assert.Equal("expired", await DeadLetterReasonAsync(first));

        var second = await EnqueueAsync(expirySeconds: 0);
        Assert.Empty(await DequeueAsync(evictionSeconds: 3600));
        Assert.Null(await DeadLetterReasonAsync(second));
    }

    [Fact]
    public async Task The_app_role_cannot_delete_dead_letters()
    {
        await using var connection = new NpgsqlConnection(fixture.Database.App);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("DELETE FROM orleans.stream_dead_letters", connection);

        var refused = await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync());

        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
    }

    private async Task<long> EnqueueAsync(int expirySeconds)
    {
        var ids = await ReadAsync("QueueStreamMessageKey", r => r.GetInt64(r.GetOrdinal("MessageId")),
            ("Payload", new byte[] { 1, 2, 3 }), ("ExpiryTimeout", expirySeconds));
        return Assert.Single(ids);
    }

    private Task<List<(long MessageId, int Dequeued)>> DequeueAsync(int visibilitySeconds = 60, int evictionSeconds = 0) =>
        ReadAsync("GetStreamMessagesKey", r => (r.GetInt64(r.GetOrdinal("MessageId")), r.GetInt32(r.GetOrdinal("Dequeued"))),
            ("MaxCount", 10), ("MaxAttempts", MaxAttempts), ("VisibilityTimeout", visibilitySeconds),
            ("RemovalTimeout", 0), ("EvictionInterval", evictionSeconds), ("EvictionBatchSize", 100));

    private Task<List<long>> ConfirmAsync(string items) =>
        ReadAsync("ConfirmStreamMessagesKey", r => r.GetInt64(r.GetOrdinal("MessageId")), ("Items", items));

    private Task FailAsync(long messageId) =>
        ExecuteAsync("FailStreamMessageKey", ("MessageId", messageId), ("MaxAttempts", MaxAttempts), ("RemovalTimeout", 0));

    private Task<long> CountAsync(string table) =>
        fixture.Database.ScalarAsync<long>($"SELECT count(*) FROM orleans.{table} WHERE provider_id = @p", ("p", _provider));

    private async Task<string?> DeadLetterReasonAsync(long messageId)
    {
        await using var connection = new NpgsqlConnection(fixture.Database.Owner);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT reason FROM orleans.stream_dead_letters WHERE provider_id = @p AND message_id = @m", connection);
        command.Parameters.AddWithValue("p", _provider);
        command.Parameters.AddWithValue("m", messageId);
        return (string?)await command.ExecuteScalarAsync();
    }

    private async Task<List<T>> ReadAsync<T>(string queryKey, Func<NpgsqlDataReader, T> read, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(fixture.Database.App);
        await connection.OpenAsync();
        await using var command = await CommandAsync(connection, queryKey, parameters);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<T>();
        while (await reader.ReadAsync())
        {
            rows.Add(read(reader));
        }

        return rows;
    }

    private async Task ExecuteAsync(string queryKey, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(fixture.Database.App);
        await connection.OpenAsync();
        await using var command = await CommandAsync(connection, queryKey, parameters);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>The stored query text with the provider's common parameters (service, provider, queue) and the given ones.</summary>
    private async Task<NpgsqlCommand> CommandAsync(NpgsqlConnection connection, string queryKey, (string Name, object Value)[] parameters)
    {
        string text;
        await using (var lookup = new NpgsqlCommand("SELECT querytext FROM orleans.orleansquery WHERE querykey = @key", connection))
        {
            lookup.Parameters.AddWithValue("key", queryKey);
            text = (string)(await lookup.ExecuteScalarAsync())!;
        }

        var command = new NpgsqlCommand(text, connection);
        command.Parameters.AddWithValue("ServiceId", Service);
        command.Parameters.AddWithValue("ProviderId", _provider);
        command.Parameters.AddWithValue("QueueId", "audit-0");
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return command;
    }
}
