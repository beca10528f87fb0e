using ClinicCluster.Persistence.Postgres.Encryption;
using ClinicCluster.Persistence.Postgres.Webhooks;
using ClinicCluster.Security;
using ClinicCluster.Webhooks;
using Npgsql;

namespace ClinicCluster.Storage.Tests;

/// <summary>
/// Webhook signing secrets at rest (decision 0053): encrypted under the PHI key ring and bound to
/// their subscription; rows from before encryption are still read, and <c>encryption rotate</c>'s
/// pass encrypts them.
/// </summary>
public sealed class WebhookSecretsAtRestTests : IAsyncLifetime
{
    private readonly TestDatabase _database = new();
    private NpgsqlDataSource? _dataSource;

    private NpgsqlDataSource DataSource => _dataSource ?? throw new InvalidOperationException("Not initialized.");

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        await _database.MigrateAsync();
        _dataSource = NpgsqlDataSource.Create(_database.App);
    }

    public async Task DisposeAsync()
    {
        if (_dataSource is not null)
        {
            await _dataSource.DisposeAsync();
        }

        await _database.DisposeAsync();
    }

    [Fact]
    public async Task Secrets_are_stored_encrypted_and_bound_to_their_subscription()
    {
        var store = new PostgresWebhookStore(DataSource, new WebhookSecretCipher(Protector()));
        var secret = WebhookSignature.NewSecret();
        var now = DateTimeOffset.UtcNow;
        Assert.True(await store.AddSubscriptionAsync(Row("c1", "whk-a", [secret], now), limit: 20));

        var stored = await StoredSecretsAsync("c1", "whk-a");
        Assert.StartsWith("phi2:", Assert.Single(stored), StringComparison.Ordinal);
        Assert.DoesNotContain(secret, stored[0], StringComparison.Ordinal);
        Assert.Equal([secret], (await store.SubscriptionAsync("c1", "whk-a"))!.Secrets);

        // A rotation keeps both, each sealed again.
        var next = WebhookSignature.NewSecret();
        Assert.True(await store.SetSecretsAsync("c1", "whk-a", [next, secret], now.AddHours(1)));
        Assert.All(await StoredSecretsAsync("c1", "whk-a"), s => Assert.StartsWith("phi2:", s, StringComparison.Ordinal));
        Assert.Equal([next, secret], (await store.SubscriptionAsync("c1", "whk-a"))!.Secrets);

        // A ciphertext copied into another subscription's row does not open there.
        Assert.True(await store.AddSubscriptionAsync(Row("c1", "whk-b", [WebhookSignature.NewSecret()], now), limit: 20));
        await _database.ExecuteAsync("""
            UPDATE webhooks.subscription SET secrets = (SELECT secrets FROM webhooks.subscription WHERE subscription_id = 'whk-a')
            WHERE subscription_id = 'whk-b'
            """);
        await Assert.ThrowsAsync<PhiIntegrityException>(() => store.SubscriptionAsync("c1", "whk-b"));
    }

    [Fact]
    public async Task Plaintext_secrets_from_before_encryption_are_read_and_the_rotation_pass_encrypts_them()
    {
        var protector = Protector();
        var store = new PostgresWebhookStore(DataSource, new WebhookSecretCipher(protector));
        await _database.ExecuteAsync("""
            INSERT INTO webhooks.subscription (clinic_id, subscription_id, url, event_types, secrets, previous_secret_until, created_at)
            VALUES ('c1', 'whk-old', 'https://example.org/', ARRAY['appointment.booked'], ARRAY['whsec_new', 'whsec_old'], now() + interval '1 hour', now())
            """);
        Assert.Equal(["whsec_new", "whsec_old"], (await store.SubscriptionAsync("c1", "whk-old"))!.Secrets);

        var report = await new WebhookSecretReencryptor(DataSource, protector).RunAsync(batchSize: 1, progress: null, CancellationToken.None);
        Assert.Equal((1, 2, 2, 1), (report.Rows, report.Values, report.PlaintextEncrypted, report.RowsRewritten));
        var stored = await StoredSecretsAsync("c1", "whk-old");
        Assert.All(stored, s => Assert.StartsWith("phi2:", s, StringComparison.Ordinal));
        Assert.DoesNotContain(stored, s => s.Contains("whsec_", StringComparison.Ordinal));
        Assert.Equal(["whsec_new", "whsec_old"], (await store.SubscriptionAsync("c1", "whk-old"))!.Secrets);

        // Nothing left to do on a second pass: the values are opened (an integrity check), not rewritten.
        var again = await new WebhookSecretReencryptor(DataSource, protector).RunAsync(batchSize: 10, progress: null, CancellationToken.None);
        Assert.Equal((1, 0, 0), (again.Rows, again.RowsRewritten, again.IntegrityFaults));
    }

    [Fact]
    public void A_subscription_row_never_prints_its_secrets()
    {
        var row = Row("c1", "whk-a", ["whsec_do-not-print", "whsec_nor-this"], DateTimeOffset.UtcNow);
        Assert.DoesNotContain("whsec_", row.ToString(), StringComparison.Ordinal);
        Assert.Contains("whk-a", row.ToString(), StringComparison.Ordinal);
    }

    private static WebhookSubscriptionRow Row(string clinicId, string id, IReadOnlyList<string> secrets, DateTimeOffset now) =>
        new(clinicId, id, "https://example.org/hook", ["appointment.booked"], secrets, secrets.Count > 1 ? now.AddHours(1) : null, now);

    private Task<List<string>> StoredSecretsAsync(string clinicId, string subscriptionId) => _database.QueryAsync(
        "SELECT unnest(secrets) FROM webhooks.subscription WHERE clinic_id = @c AND subscription_id = @s", r => r.GetString(0),
        ("c", clinicId), ("s", subscriptionId));

    private static PhiProtector Protector()
    {
        var ring = KeyRing.Load(TestKeyRings.PhiRingFile, "Encryption:KeyRingFile", requireIndexKey: true);
        return new PhiProtector(new LocalKeyRingProvider(ring), ring.IndexKeys!);
    }
}
