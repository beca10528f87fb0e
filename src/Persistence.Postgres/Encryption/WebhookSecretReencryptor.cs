using ClinicCluster.Persistence.Postgres.Webhooks;
using ClinicCluster.Security;
using Npgsql;

namespace ClinicCluster.Persistence.Postgres.Encryption;

/// <summary>
/// Brings the webhook signing secrets (<c>webhooks.subscription.secrets</c>, decision 0053) to the
/// current form: encrypted where a row from before encryption holds them in the clear, re-encrypted
/// under the active KEK otherwise. Rows are read in primary-key order, a bounded batch at a time, and
/// written back only if their secrets are still the ones read: a rotation in between wins (its new
/// secrets are under the active key already) and the row counts as changed meanwhile.
/// </summary>
public sealed class WebhookSecretReencryptor(NpgsqlDataSource dataSource, IPhiProtector protector)
{
    private const string Page = """
        SELECT clinic_id, subscription_id, secrets FROM webhooks.subscription
         WHERE (clinic_id, subscription_id) > (@clinic_id, @subscription_id)
         ORDER BY clinic_id, subscription_id
         LIMIT @limit
        """;

    private const string Update = """
        UPDATE webhooks.subscription SET secrets = @secrets
         WHERE clinic_id = @clinic_id AND subscription_id = @subscription_id AND secrets = @stored
        """;

    public async Task<ReencryptionReport> RunAsync(int batchSize, TextWriter? progress, CancellationToken cancellationToken)
    {
        var report = new ReencryptionReport();
        var cipher = new WebhookSecretCipher(protector);
        (string ClinicId, string SubscriptionId) after = ("", "");
        while (true)
        {
            var rows = await ReadPageAsync(after, batchSize, cancellationToken);
            foreach (var (clinicId, subscriptionId, stored) in rows)
            {
                report.Rows++;
                report.Values += stored.Length;
                var plaintext = stored.Count(s => !PhiCiphertext.IsProtected(s));
                string[] secrets;
                try
                {
                    // Every value is opened, rewritten or not: the pass doubles as an integrity check.
                    secrets = await cipher.OpenAsync(clinicId, subscriptionId, stored);
                }
                catch (PhiIntegrityException exception)
                {
                    report.IntegrityFaults++;
                    progress?.WriteLine($"integrity fault: webhook subscription {clinicId}/{subscriptionId}: {exception.Message}");
                    continue;
                }

                var rotate = stored.Count(s => PhiCiphertext.IsProtected(s) && protector.NeedsRotation(s));
                if (plaintext + rotate == 0)
                {
                    continue;
                }

                await using var update = dataSource.CreateCommand(Update);
                update.Parameters.AddWithValue("secrets", await cipher.SealAsync(clinicId, subscriptionId, secrets));
                update.Parameters.AddWithValue("clinic_id", clinicId);
                update.Parameters.AddWithValue("subscription_id", subscriptionId);
                update.Parameters.AddWithValue("stored", stored);
                report.CountUpdate(await update.ExecuteNonQueryAsync(cancellationToken), rotate, plaintext);
            }

            if (rows.Count < batchSize)
            {
                return report;
            }

            after = (rows[^1].ClinicId, rows[^1].SubscriptionId);
        }
    }

    private async Task<List<(string ClinicId, string SubscriptionId, string[] Secrets)>> ReadPageAsync(
        (string ClinicId, string SubscriptionId) after, int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(Page);
        command.Parameters.AddWithValue("clinic_id", after.ClinicId);
        command.Parameters.AddWithValue("subscription_id", after.SubscriptionId);
        command.Parameters.AddWithValue("limit", limit);
        var rows = new List<(string, string, string[])>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add((reader.GetString(0), reader.GetString(1), reader.GetFieldValue<string[]>(2)));
        }

        return rows;
    }
}
