using ClinicCluster.Audit;
using ClinicCluster.Security;
using ClinicCluster.Silo.Persistence;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ClinicCluster.Silo.Audit;

/// <summary>
/// <c>audit verify --clinic c1 [--clinic c2]</c> or <c>audit verify --all</c>: walks each clinic's
/// hash chain and prints the first broken link, then checks the clinic's signed checkpoint
/// (Audit:ChainKeyFile, Audit:CheckpointDirectory). <c>--all</c> verifies every clinic with audit
/// records, and every clinic with a checkpoint: a clinic whose whole chain was deleted has no row
/// left to be found by, but its checkpoint still names it (the scheduled CronJob runs this).
/// Exit codes: 0 every chain intact, 1 a chain is broken, 2 usage or connection.
/// </summary>
internal static class AuditVerifyCommand
{
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        var clinics = args.Select((arg, i) => (arg, i)).Where(a => a.arg == "--clinic" && a.i + 1 < args.Length)
            .Select(a => args[a.i + 1]).ToList();
        var all = args.Contains("--all");
        if (clinics.Count == 0 && !all)
        {
            await error.WriteLineAsync("usage: audit verify --clinic <id> [--clinic <id>] | audit verify --all");
            return 2;
        }

        string connectionString;
        AuditChainKeys keys;
        AuditCheckpoints? checkpoints = null;
        try
        {
            // A bare switch would swallow the next argument as its value in the command-line configuration.
            var configuration = CommandConfiguration.Build([.. args.Where(arg => arg != "--all")]);
            connectionString = PostgresOptions.Read(configuration).ResolveRuntime();
            var chain = configuration.GetSection(AuditChainOptions.SectionName).Get<AuditChainOptions>() ?? new AuditChainOptions();
            if (string.IsNullOrWhiteSpace(chain.ChainKeyFile))
            {
                await error.WriteLineAsync($"Configuration error: {AuditChainOptions.ChainKeySetting} is required to verify the keyed chain.");
                return 2;
            }

            keys = new AuditChainKeys(KeyRing.Load(chain.ChainKeyFile, AuditChainOptions.ChainKeySetting, requireIndexKey: false));
            if (!string.IsNullOrWhiteSpace(chain.CheckpointDirectory))
            {
                checkpoints = new AuditCheckpoints(chain.CheckpointDirectory, keys);
            }
            else
            {
                await error.WriteLineAsync("warning: Audit:CheckpointDirectory is not set; a removed tail cannot be detected.");
            }
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
        var verifier = new AuditChainVerifier(dataSource, keys, checkpoints);
        var broken = false;
        try
        {
            if (all)
            {
                clinics = [.. clinics.Union(await ClinicsWithAuditRecordsAsync(dataSource)).Union(checkpoints?.Clinics() ?? []).Order(StringComparer.Ordinal)];
                if (clinics.Count == 0)
                {
                    await output.WriteLineAsync("No clinic has audit records.");
                }
            }

            foreach (var clinic in clinics)
            {
                var result = await verifier.VerifyAsync(clinic, CancellationToken.None);
                if (result.IsIntact)
                {
                    var anchor = result.CheckpointSequence is { } at ? $", signed checkpoint at sequence {at} matches" : ", no checkpoint";
                    await output.WriteLineAsync($"{clinic}: intact, {result.VerifiedRecords} record(s) verified{anchor}.");
                }
                else
                {
                    broken = true;
                    await output.WriteLineAsync(
                        $"{clinic}: BROKEN at sequence {result.BrokenAt} after {result.VerifiedRecords} intact record(s): {result.Problem}.");
                }
            }
        }
        catch (InvalidDataException exception)
        {
            await error.WriteLineAsync($"Cannot read a checkpoint: {exception.Message}");
            return 2;
        }
        catch (NpgsqlException exception)
        {
            await error.WriteLineAsync($"Cannot read the audit trail: {exception.Message.ReplaceLineEndings(" ")}");
            return 2;
        }

        return broken ? 1 : 0;
    }

    private static async Task<List<string>> ClinicsWithAuditRecordsAsync(NpgsqlDataSource dataSource)
    {
        await using var command = dataSource.CreateCommand(AuditSql.Clinics);
        await using var reader = await command.ExecuteReaderAsync();
        var clinics = new List<string>();
        while (await reader.ReadAsync())
        {
            clinics.Add(reader.GetString(0));
        }

        return clinics;
    }
}
