using ClinicCluster.Security;
using ClinicCluster.Silo.Persistence;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ClinicCluster.Silo.Encryption;

/// <summary>
/// <c>encryption rotate [--batch-size 200]</c>: brings existing PHI to the current form in bounded
/// batches: encrypted (plaintext from before encryption existed is encrypted), under the active KEK
/// of <c>Encryption:KeyRingFile</c>, and bound to its record and field: the patient grain states (see
/// <see cref="PhiReencryptor"/>), the patient index entries (<see cref="PatientIndexReencryptor"/>), then the appointment ledger's reasons (<see cref="LedgerReencryptor"/>),
/// both as the runtime role, which may update both tables. Every stored value is opened on the
/// way, so a pass is also an integrity check. Exit codes: 0 nothing left to rewrite, 1 rows changed
/// meanwhile (run again) or integrity faults (listed, ids only, left as they are), 2 usage,
/// configuration or connection problem.
/// </summary>
internal static class EncryptionRotateCommand
{
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        var batchSize = 200;
        var sizeAt = Array.IndexOf(args, "--batch-size");
        if (sizeAt >= 0 && (sizeAt + 1 >= args.Length || !int.TryParse(args[sizeAt + 1], out batchSize) || batchSize is < 1 or > 10_000))
        {
            await error.WriteLineAsync("usage: encryption rotate [--batch-size <1-10000>]");
            return 2;
        }

        IPhiProtector protector;
        string connectionString;
        try
        {
            var configuration = CommandConfiguration.Build(args);
            connectionString = PostgresOptions.Read(configuration).ResolveRuntime();
            var file = configuration[SecurityServiceCollectionExtensions.KeyRingSetting];
            if (string.IsNullOrWhiteSpace(file))
            {
                await error.WriteLineAsync($"Configuration error: {SecurityServiceCollectionExtensions.KeyRingSetting} is required.");
                return 2;
            }

            var ring = KeyRing.Load(file, SecurityServiceCollectionExtensions.KeyRingSetting, requireIndexKey: true);
            protector = new PhiProtector(new LocalKeyRingProvider(ring), ring.IndexKeys!);
        }
        catch (OptionsValidationException exception)
        {
            await error.WriteLineAsync($"Configuration error: {string.Join("; ", exception.Failures)}");
            return 2;
        }
        catch (InvalidDataException exception)
        {
            await error.WriteLineAsync($"Configuration error: {exception.Message}");
            return 2;
        }

        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        try
        {
            var grains = await new PhiReencryptor(dataSource, protector).RunAsync(batchSize, output, CancellationToken.None);
            await WriteAsync(output, "grain state", grains);
            var index = await new PatientIndexReencryptor(dataSource, protector).RunAsync(batchSize, output, CancellationToken.None);
            await WriteAsync(output, "patient index", index);
            var ledger = await new LedgerReencryptor(dataSource, protector).RunAsync(batchSize, output, CancellationToken.None);
            await WriteAsync(output, "appointment ledger", ledger);
            return new[] { grains, index, ledger }.Sum(r => r.RowsChangedMeanwhile + r.IntegrityFaults) == 0 ? 0 : 1;
        }
        catch (NpgsqlException exception)
        {
            await error.WriteLineAsync($"Cannot read or write the stored PHI: {exception.Message.ReplaceLineEndings(" ")}");
            return 2;
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            // Never the value: only that a stored ciphertext could not be opened with this ring.
            await error.WriteLineAsync("A stored value cannot be decrypted with this key ring (is its key retired already?).");
            return 2;
        }
    }

    private static Task WriteAsync(TextWriter output, string what, ReencryptionReport report) => output.WriteLineAsync(
        $"{what}: {report.Rows} rows, {report.Values} PHI values; re-encrypted {report.ValuesReencrypted} value(s) and encrypted " +
        $"{report.PlaintextEncrypted} plaintext value(s) in {report.RowsRewritten} row(s); {report.IntegrityFaults} integrity fault(s); " +
        $"{report.RowsChangedMeanwhile} row(s) changed meanwhile.");
}
