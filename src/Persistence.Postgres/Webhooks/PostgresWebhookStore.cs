using ClinicCluster.Webhooks;
using Npgsql;

namespace ClinicCluster.Persistence.Postgres.Webhooks;

/// <summary>
/// Subscriptions and the outbox in PostgreSQL (the webhooks schema, migration 0500, decision 0046).
/// Every statement is one round trip; database errors propagate to the dispatcher, which tries again
/// on its next tick (the rows are safe where they are). Signing secrets are encrypted at rest
/// (<see cref="WebhookSecretCipher"/>, decision 0053).
/// </summary>
public sealed class PostgresWebhookStore(NpgsqlDataSource dataSource, WebhookSecretCipher cipher) : IWebhookStore
{
    public async Task<bool> AddSubscriptionAsync(WebhookSubscriptionRow row, int limit)
    {
        await using var command = Command(WebhookSql.AddSubscription, row.ClinicId, row.Id);
        command.Parameters.AddWithValue("url", row.Url);
        command.Parameters.AddWithValue("event_types", row.EventTypes.ToArray());
        command.Parameters.AddWithValue("secrets", await cipher.SealAsync(row.ClinicId, row.Id, row.Secrets));
        command.Parameters.AddWithValue("created_at", row.CreatedAt.UtcDateTime);
        command.Parameters.AddWithValue("limit", (long)limit);
        return await command.ExecuteNonQueryAsync() == 1;
    }

    public async Task<IReadOnlyList<WebhookSubscriptionRow>> SubscriptionsAsync(string clinicId)
    {
        await using var command = dataSource.CreateCommand(WebhookSql.Subscriptions);
        command.Parameters.AddWithValue("clinic_id", clinicId);
        return await ReadSubscriptionsAsync(command);
    }

    public async Task<WebhookSubscriptionRow?> SubscriptionAsync(string clinicId, string subscriptionId)
    {
        await using var command = Command(WebhookSql.Subscription, clinicId, subscriptionId);
        return (await ReadSubscriptionsAsync(command)).SingleOrDefault();
    }

    public async Task<bool> DeleteSubscriptionAsync(string clinicId, string subscriptionId)
    {
        await using var command = Command(WebhookSql.DeleteSubscription, clinicId, subscriptionId);
        return await command.ExecuteNonQueryAsync() == 1;
    }

    public async Task<bool> SetSecretsAsync(string clinicId, string subscriptionId, IReadOnlyList<string> secrets, DateTimeOffset? previousUntil)
    {
        await using var command = Command(WebhookSql.SetSecrets, clinicId, subscriptionId);
        command.Parameters.AddWithValue("secrets", await cipher.SealAsync(clinicId, subscriptionId, secrets));
        command.Parameters.AddWithValue("previous_until", previousUntil is { } until ? until.UtcDateTime : DBNull.Value);
        return await command.ExecuteNonQueryAsync() == 1;
    }

    public async Task<IReadOnlyList<WebhookOutboxEntry>> DueAsync(string clinicId, string subscriptionId, DateTimeOffset now, int limit)
    {
        await using var command = Command(WebhookSql.Due, clinicId, subscriptionId);
        command.Parameters.AddWithValue("now", now.UtcDateTime);
        command.Parameters.AddWithValue("limit", limit);
        var entries = new List<WebhookOutboxEntry>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            entries.Add(new WebhookOutboxEntry(reader.GetInt64(0), reader.GetString(1), reader.GetString(2),
                reader.GetFieldValue<DateTimeOffset>(3), reader.GetString(4), reader.GetInt32(5), reader.GetFieldValue<DateTimeOffset>(6)));
        }

        return entries;
    }

    public Task MarkDeliveredAsync(string clinicId, string subscriptionId, long eventId, DateTimeOffset at) =>
        SettleAsync(WebhookSql.Delivered, clinicId, subscriptionId, eventId, at, error: null);

    public Task MarkFailedAsync(string clinicId, string subscriptionId, long eventId, DateTimeOffset nextAttemptAt, string error) =>
        SettleAsync(WebhookSql.Failed, clinicId, subscriptionId, eventId, nextAttemptAt, error);

    public Task MarkDeadAsync(string clinicId, string subscriptionId, long eventId, DateTimeOffset at, string error) =>
        SettleAsync(WebhookSql.Dead, clinicId, subscriptionId, eventId, at, error);

    public async Task<int> PurgeDeliveredAsync(string clinicId, string subscriptionId, DateTimeOffset before, int limit)
    {
        await using var command = Command(WebhookSql.PurgeDelivered, clinicId, subscriptionId);
        command.Parameters.AddWithValue("before", before.UtcDateTime);
        command.Parameters.AddWithValue("limit", limit);
        return await command.ExecuteNonQueryAsync();
    }

    public async Task<int> ReplayAsync(string clinicId, string subscriptionId, DateTimeOffset now)
    {
        await using var command = Command(WebhookSql.Replay, clinicId, subscriptionId);
        command.Parameters.AddWithValue("now", now.UtcDateTime);
        return await command.ExecuteNonQueryAsync();
    }

    private async Task SettleAsync(string sql, string clinicId, string subscriptionId, long eventId, DateTimeOffset at, string? error)
    {
        await using var command = Command(sql, clinicId, subscriptionId);
        command.Parameters.AddWithValue("event_id", eventId);
        command.Parameters.AddWithValue("at", at.UtcDateTime);
        if (error is not null)
        {
            command.Parameters.AddWithValue("error", error);
        }

        await command.ExecuteNonQueryAsync();
    }

    private NpgsqlCommand Command(string sql, string clinicId, string subscriptionId)
    {
        var command = dataSource.CreateCommand(sql);
        command.Parameters.AddWithValue("clinic_id", clinicId);
        command.Parameters.AddWithValue("subscription_id", subscriptionId);
        return command;
    }

    private async Task<IReadOnlyList<WebhookSubscriptionRow>> ReadSubscriptionsAsync(NpgsqlCommand command)
    {
        var rows = new List<WebhookSubscriptionRow>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                rows.Add(new WebhookSubscriptionRow(reader.GetString(0), reader.GetString(1), reader.GetString(2),
                    reader.GetFieldValue<string[]>(3), reader.GetFieldValue<string[]>(4),
                    reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5), reader.GetFieldValue<DateTimeOffset>(6)));
            }
        }

        // Decrypted after the reader is closed: the connection is not held while the key ring works.
        for (var i = 0; i < rows.Count; i++)
        {
            rows[i] = rows[i] with { Secrets = await cipher.OpenAsync(rows[i].ClinicId, rows[i].Id, rows[i].Secrets) };
        }

        return rows;
    }
}
