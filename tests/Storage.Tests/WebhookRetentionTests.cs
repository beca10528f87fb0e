using ClinicCluster.Persistence.Postgres.Webhooks;
using ClinicCluster.Security;
using ClinicCluster.Webhooks;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ClinicCluster.Storage.Tests;

/// <summary>
/// Retention of delivered outbox rows (decision 0053): expired delivered rows go, a bounded batch per
/// statement; pending, dead and recent rows stay; and the silo's dispatchers run the sweep on their own.
/// </summary>
public sealed class WebhookRetentionTests : IAsyncLifetime
{
    private readonly TestDatabase _database = new();

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        await _database.MigrateAsync();
    }

    public Task DisposeAsync() => _database.DisposeAsync();

    [Fact]
    public async Task Expired_delivered_rows_are_deleted_in_bounded_batches_and_nothing_else_is()
    {
        await _database.ExecuteAsync("""
            INSERT INTO webhooks.subscription (clinic_id, subscription_id, url, event_types, secrets, created_at)
            VALUES ('c1', 'whk-1', 'https://example.org/', ARRAY['appointment.booked'], ARRAY['s'], now()),
                   ('c1', 'whk-2', 'https://example.org/', ARRAY['appointment.booked'], ARRAY['s'], now());
            -- whk-1: 25 delivered two days ago, 5 delivered just now, 3 pending and 2 dead from two days ago.
            INSERT INTO webhooks.outbox (clinic_id, subscription_id, event_id, event_type, subject_id, occurred_at, data, state, created_at, finished_at)
            SELECT 'c1', 'whk-1', n, 'appointment.booked', 'apt-' || n, now(), '{}',
                   CASE WHEN n <= 30 THEN 'delivered' WHEN n <= 33 THEN 'pending' ELSE 'dead' END,
                   now() - interval '2 days',
                   CASE WHEN n <= 25 THEN now() - interval '2 days' WHEN n <= 30 THEN now() WHEN n > 33 THEN now() - interval '2 days' END
            FROM generate_series(1, 35) n;
            -- whk-2: another subscription's expired rows are its own dispatcher's business.
            INSERT INTO webhooks.outbox (clinic_id, subscription_id, event_id, event_type, subject_id, occurred_at, data, state, finished_at)
            SELECT 'c1', 'whk-2', n, 'appointment.booked', 'apt-' || n, now(), '{}', 'delivered', now() - interval '2 days'
            FROM generate_series(1, 4) n;
            """);
        await using var dataSource = NpgsqlDataSource.Create(_database.App);
        var store = new PostgresWebhookStore(dataSource, new WebhookSecretCipher(Protector()));
        var now = DateTimeOffset.UtcNow;

        // One statement deletes at most its limit, the oldest first.
        Assert.Equal(10, await store.PurgeDeliveredAsync("c1", "whk-1", now - TimeSpan.FromDays(1), limit: 10));

        var retention = new WebhookRetention(store, Options.Create(new WebhookOptions { DeliveredRetention = TimeSpan.FromDays(1), RetentionBatchSize = 4 }));
        Assert.Equal(15, await retention.SweepAsync("c1", "whk-1", now, CancellationToken.None));
        Assert.Equal(0, await retention.SweepAsync("c1", "whk-1", now, CancellationToken.None));

        var left = await _database.QueryAsync("SELECT state, count(*) FROM webhooks.outbox WHERE subscription_id = 'whk-1' GROUP BY state ORDER BY state",
            r => (r.GetString(0), r.GetInt64(1)));
        Assert.Equal([("dead", 2L), ("delivered", 5L), ("pending", 3L)], left);
        Assert.Equal(4L, await _database.ScalarAsync<long>("SELECT count(*) FROM webhooks.outbox WHERE subscription_id = 'whk-2'"));
    }

    [Fact]
    public async Task The_silos_dispatcher_sweeps_delivered_rows_on_its_own()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var settings = WebhookSilo.Settings;
        settings["Webhooks:DeliveredRetention"] = "00:00:01";
        settings["Webhooks:RetentionSweepInterval"] = "00:00:01";
        await using var silo = await SiloHost.StartAsync(_database.App, settings);
        var clinic = await WebhookClinic.CreateAsync(silo.Grains, providers: 2);
        receiver.Secrets = [(await WebhookClinic.SubscribeAsync(silo.Grains, clinic.ClinicId, receiver.Url)).Secret];
        await clinic.BookAsync(silo.Grains, perProvider: 3);

        await WebhookDeliveryTests.WaitFor(() => receiver.Received, r => r.Count >= 6, TimeSpan.FromSeconds(60));
        var left = await WebhookDeliveryTests.WaitForAsync(() => _database.ScalarAsync<long>("SELECT count(*) FROM webhooks.outbox"),
            n => n == 0, TimeSpan.FromSeconds(30));
        Assert.Equal(6, receiver.Received.Select(r => r.EventId).Distinct().Count());
        Assert.Equal(0L, left);
    }

    private static PhiProtector Protector()
    {
        var ring = KeyRing.Load(TestKeyRings.PhiRingFile, "Encryption:KeyRingFile", requireIndexKey: true);
        return new PhiProtector(new LocalKeyRingProvider(ring), ring.IndexKeys!);
    }
}
