using System.CommandLine;
using ClinicCluster.Persistence.Postgres.Encryption;
using ClinicCluster.Persistence.Postgres.Patients;
using ClinicCluster.Security;
using ClinicCluster.ServiceDefaults;
using ClinicCluster.ServiceDefaults.Commands;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ClinicCluster.Persistence.Postgres.Commands;

/// <summary>
/// <c>encryption rotate [--batch-size 200]</c>: brings existing PHI to the current form in bounded
/// batches: encrypted (plaintext from before encryption existed is encrypted), under the active KEK
/// of <c>Encryption:KeyRingFile</c>, and bound to its record and field: the patient grain states (see
/// <see cref="PhiReencryptor"/>), the patient index entries (<see cref="PatientIndexReencryptor"/>), then the appointment ledger's reasons (<see cref="LedgerReencryptor"/>), then the webhook signing secrets (<see cref="WebhookSecretReencryptor"/>),
/// both as the runtime role, which may update both tables. Every stored value is opened on the
/// way, so a pass is also an integrity check. Exit codes: 0 nothing left to rewrite, 1 rows changed
/// meanwhile (run again) or integrity faults (listed, ids only, left as they are), 2 configuration
/// (a value this ring cannot open included), 64 usage, 69 the database cannot be reached.
/// </summary>
internal static class EncryptionRotateCommand
{
    public static Command Create(CommandOutput output)
    {
        var batchSize = EncryptionCommands.BatchSize(200, 10_000, "PHI rows rewritten per transaction");
        var command = new Command("rotate", "Re-encrypt stored PHI under the active key of Encryption:KeyRingFile, in bounded batches.") { batchSize };
        command.SetAction((parse, _) => RunAsync(parse.GetValue(batchSize), CommandConfiguration.Build(parse.ConfigurationArguments()), output));
        return command;
    }

    private static async Task<int> RunAsync(int batchSize, IConfiguration configuration, CommandOutput output)
    {
        var connectionString = PostgresOptions.Read(configuration).ResolveRuntime();
        var ring = CommandConfiguration.LoadKeyRing(EncryptionCommands.KeyRingFile(configuration, ""), SecurityServiceCollectionExtensions.KeyRingSetting, requireIndexKey: true);
        IPhiProtector protector = new PhiProtector(new LocalKeyRingProvider(ring), ring.IndexKeys!);
        var (error, result) = (output.Error, output.Output);

        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        try
        {
            var grains = await new PhiReencryptor(dataSource, protector).RunAsync(batchSize, result, CancellationToken.None);
            await WriteAsync(result, "grain state", grains);
            var index = await new PatientIndexReencryptor(dataSource, protector).RunAsync(batchSize, result, CancellationToken.None);
            await WriteAsync(result, "patient index", index);
            var dropped = await new PostgresNameIndexSnapshotStore(dataSource).DropOutsideKeyAsync(ring.ActiveKeyId);
            await result.WriteLineAsync($"name index snapshots: dropped {dropped} not under the active key (each partition writes a new one).");
            var ledger = await new LedgerReencryptor(dataSource, protector).RunAsync(batchSize, result, CancellationToken.None);
            await WriteAsync(result, "appointment ledger", ledger);
            var webhooks = await new WebhookSecretReencryptor(dataSource, protector).RunAsync(batchSize, result, CancellationToken.None);
            await WriteAsync(result, "webhook secrets", webhooks);
            return new[] { grains, index, ledger, webhooks }.Sum(r => r.RowsChangedMeanwhile + r.IntegrityFaults) == 0 ? ExitCodes.Ok : ExitCodes.ProblemFound;
        }
        catch (NpgsqlException exception)
        {
            await error.WriteLineAsync($"Cannot read or write the stored PHI: {exception.Message.ReplaceLineEndings(" ")}");
            return CommandConfiguration.ExitCodeOf(exception);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            // Never the value: only that a stored ciphertext could not be opened with this ring.
            await error.WriteLineAsync("A stored value cannot be decrypted with this key ring (is its key retired already?).");
            return ExitCodes.ConfigurationError;
        }
    }

    private static Task WriteAsync(TextWriter output, string what, ReencryptionReport report) => output.WriteLineAsync(
        $"{what}: {report.Rows} rows, {report.Values} PHI values; re-encrypted {report.ValuesReencrypted} value(s) and encrypted " +
        $"{report.PlaintextEncrypted} plaintext value(s) in {report.RowsRewritten} row(s); {report.IntegrityFaults} integrity fault(s); " +
        $"{report.RowsChangedMeanwhile} row(s) changed meanwhile.");
}
