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
    public async Task Outbox_rows_survive_a_PostgreSQL_restart_in_the_middle_of_delivery_and_are_all_delivered()
    {
        // A slow receiver (8 in flight, 150 ms each): 120 events take a few seconds, so the restart
        // lands while deliveries are in flight and rows are still pending.
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Delay = TimeSpan.FromMilliseconds(150);
        await using var silo = await SiloHost.StartAsync(_database.App, WebhookSilo.Settings);
        var clinic = await WebhookClinic.CreateAsync(silo.Grains, providers: 4);
        receiver.Secrets = [(await WebhookClinic.SubscribeAsync(silo.Grains, clinic.ClinicId, receiver.Url)).Secret];
        await clinic.BookAsync(silo.Grains, perProvider: 30);
        const int expected = 120;

        await WebhookDeliveryTests.WaitFor(() => receiver.Received, r => r.Count >= 10, TimeSpan.FromSeconds(60));
        var pendingBefore = await _database.ScalarAsync<long>("SELECT count(*) FROM webhooks.outbox WHERE state = 'pending'");
        Assert.True(pendingBefore > 0, "The restart should have come while events were still pending.");
        await _database.Server.RestartAsync();
        // Only this test's own pool is cleared: the silo's connections find out the hard way, as in production.
        await using (var owner = new NpgsqlConnection(_database.Owner))
        {
            NpgsqlConnection.ClearPool(owner);
        }

        // The dispatcher's rounds fail while the server is down and pick up where the rows say once it is back;
        // an event sent but not yet marked delivered when the server went is sent again (at least once).
        var received = await WebhookDeliveryTests.WaitFor(() => receiver.Received,
            r => r.Select(x => x.EventId).Distinct().Count() >= expected, TimeSpan.FromSeconds(90));
        Assert.Equal(expected, received.Select(r => r.EventId).Distinct().Count());
        Assert.Equal(0, receiver.BadSignatures);
        var delivered = await WebhookDeliveryTests.WaitForAsync(
            () => _database.ScalarAsync<long>("SELECT count(*) FROM webhooks.outbox WHERE state = 'delivered'"), n => n == expected, TimeSpan.FromSeconds(30));
        Assert.Equal(expected, delivered);
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
