using ClinicCluster.Common;
using ClinicCluster.Scheduling;
using ClinicCluster.Webhooks;
using Npgsql;

namespace ClinicCluster.Storage.Tests;

/// <summary>
/// The outbox's durability (decision 0046): an event is written in the transaction of its ledger
/// change, or not at all, and a committed event survives a PostgreSQL restart. The restart cuts
/// every connection of the process, so this collection runs alone.
/// </summary>
[Collection(WebhookOutboxCollection.Name)]
public sealed class WebhookOutboxTests : IAsyncLifetime
{
    private readonly TestDatabase _database = new();

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        await _database.MigrateAsync();
    }

    public Task DisposeAsync() => _database.DisposeAsync();

    [Fact]
    public async Task An_event_is_written_with_its_ledger_change_and_rolled_back_with_it()
    {
        await using var connection = await _database.OpenAsync();
        await SubscribeAsync(connection, "c1");

        await using (var rolledBack = await connection.BeginTransactionAsync())
        {
            await InsertBookedAsync(connection, "c1", "apt-1", "prv-1", 9, rolledBack);
            Assert.Equal(1L, await CountAsync(connection, rolledBack));
            await rolledBack.RollbackAsync();
        }

        Assert.Equal(0L, await CountAsync(connection));

        await InsertBookedAsync(connection, "c1", "apt-1", "prv-1", 9);
        // An overlap the exclusion constraint refuses raises nothing either.
        await Assert.ThrowsAsync<PostgresException>(() => InsertBookedAsync(connection, "c1", "apt-2", "prv-1", 9));
        // A statement that leaves the version alone (the due-soon mark) is no event.
        await Execute(connection, "UPDATE scheduling.appointment_ledger SET due_soon_noticed_at = now() WHERE appointment_id = 'apt-1'");
        await Execute(connection, "UPDATE scheduling.appointment_ledger SET status = 'cancelled', version = version + 1 WHERE appointment_id = 'apt-1'");

        Assert.Equal(["appointment.booked", "appointment.cancelled"], await TypesAsync(connection));
    }

    [Fact]
    public async Task Outbox_rows_survive_a_PostgreSQL_restart_and_are_then_delivered()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Dead = true;
        var settings = WebhookSilo.Settings;
        string clinicId, secret;
        await using (var silo = await SiloHost.StartAsync(_database.App, settings))
        {
            var clinic = await WebhookClinic.CreateAsync(silo.Grains, providers: 2);
            clinicId = clinic.ClinicId;
            secret = (await WebhookClinic.SubscribeAsync(silo.Grains, clinicId, receiver.Url)).Secret;
            await clinic.BookAsync(silo.Grains, perProvider: 5);
        }

        Assert.Equal(10L, await _database.ScalarAsync<long>("SELECT count(*) FROM webhooks.outbox WHERE state = 'pending'"));
        await _database.Server.RestartAsync();
        NpgsqlConnection.ClearAllPools();
        Assert.Equal(10L, await _database.ScalarAsync<long>("SELECT count(*) FROM webhooks.outbox WHERE state = 'pending'"));

        // A new silo's dispatcher comes back through its reminder and delivers what waited.
        receiver.Secrets = [secret];
        receiver.Dead = false;
        await using var again = await SiloHost.StartAsync(_database.App, settings);
        await again.Grains.GetGrain<IWebhookDispatcherGrain>(ClinicScopedKey.Format(clinicId,
            (await again.Grains.GetGrain<IWebhookSubscriptionsGrain>(clinicId).ListAsync()).Single().Id)).WakeAsync();
        var received = await WebhookDeliveryTests.WaitFor(() => receiver.Received, r => r.Count >= 10, TimeSpan.FromSeconds(60));
        Assert.Equal(10, received.Select(r => r.EventId).Distinct().Count());
    }

    private static async Task SubscribeAsync(NpgsqlConnection connection, string clinicId) => await Execute(connection, $"""
        INSERT INTO webhooks.subscription (clinic_id, subscription_id, url, event_types, secrets, created_at)
        VALUES ('{clinicId}', 'whk-1', 'https://example.org/', ARRAY['appointment.booked', 'appointment.cancelled'], ARRAY['s'], now())
        """);

    private static Task InsertBookedAsync(NpgsqlConnection connection, string clinicId, string appointmentId, string providerId, int hour,
        NpgsqlTransaction? transaction = null) => Execute(connection, $"""
        INSERT INTO scheduling.appointment_ledger (clinic_id, appointment_id, patient_id, provider_id, appointment_type,
            starts_at, ends_at, blocked_until, status, time_zone, created_at, updated_at, booked_starts_at, booked_ends_at)
        VALUES ('{clinicId}', '{appointmentId}', 'pat-{appointmentId}', '{providerId}', 'checkup', '2030-01-07 {hour}:00Z', '2030-01-07 {hour}:30Z',
            '2030-01-07 {hour}:40Z', 'booked', 'UTC', now(), now(), '2030-01-07 {hour}:00Z', '2030-01-07 {hour}:30Z')
        """, transaction);

    private static async Task<long> CountAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction = null)
    {
        await using var command = new NpgsqlCommand("SELECT count(*) FROM webhooks.outbox", connection, transaction);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<List<string>> TypesAsync(NpgsqlConnection connection)
    {
        await using var command = new NpgsqlCommand("SELECT event_type FROM webhooks.outbox ORDER BY event_id", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var types = new List<string>();
        while (await reader.ReadAsync())
        {
            types.Add(reader.GetString(0));
        }

        return types;
    }

    private static async Task Execute(NpgsqlConnection connection, string sql, NpgsqlTransaction? transaction = null)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync();
    }
}

/// <summary>Runs after every parallel collection, alone: its test restarts the shared PostgreSQL server.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class WebhookOutboxCollection
{
    public const string Name = "Webhook outbox durability (restarts PostgreSQL)";
}
