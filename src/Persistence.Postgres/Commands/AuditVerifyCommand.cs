using System.CommandLine;
using System.Diagnostics;
using ClinicCluster.Audit;
using ClinicCluster.Persistence.Postgres.Audit;
using ClinicCluster.Security;
using ClinicCluster.ServiceDefaults;
using ClinicCluster.ServiceDefaults.Commands;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ClinicCluster.Persistence.Postgres.Commands;

/// <summary>
/// <c>audit verify --clinic c1 [--clinic c2]</c> or <c>audit verify --all</c>: walks each clinic's
/// hash chain and prints the first broken link, then checks the clinic's signed checkpoint
/// (Audit:ChainKeyFile, Audit:CheckpointDirectory). <c>--all</c> verifies every clinic with audit
/// records, and every clinic with a checkpoint: a clinic whose whole chain was deleted has no row
/// left to be found by, but its checkpoint still names it (the scheduled CronJob runs this).
/// Each line carries the clinic's rows and rows/s, and a last line the totals. The walk records
/// signed progress beside the checkpoints; <c>--resume</c> starts after it (decision 0058).
/// Exit codes: 0 every chain intact, 1 a chain is broken, 2 configuration or an unreadable
/// checkpoint, 64 usage, 69 the database cannot be read.
/// </summary>
internal static class AuditVerifyCommand
{
    public static Command Create(CommandOutput output)
    {
        var clinics = new Option<string[]>("--clinic") { Description = "A clinic whose chain to verify (repeat for more).", HelpName = "id" };
        var all = new Option<bool>("--all") { Description = "Every clinic with audit records or a signed checkpoint." };
        var resume = new Option<bool>("--resume")
        {
            Description = "Start each clinic's walk after the signed progress an earlier run recorded in Audit:CheckpointDirectory, not at the genesis.",
        };
        var progressEvery = new Option<long>("--progress-every")
        {
            Description = "Rows between two signed progress records (1-100000000).",
            HelpName = "rows",
            DefaultValueFactory = _ => AuditVerifyRun.DefaultProgressEvery,
        };
        progressEvery.Require(rows => rows < 1 || rows > 100_000_000 ? "--progress-every must be between 1 and 100000000." : null);
        var verify = new Command("verify", "Walk each clinic's audit hash chain and check its signed checkpoint.") { clinics, all, resume, progressEvery };
        verify.Require(result => (result.GetValue(clinics) ?? []).Length == 0 && !result.GetValue(all)
            ? "Name a clinic (--clinic <id>) or ask for --all."
            : null);
        verify.SetAction((parse, cancellationToken) => RunAsync(
            [.. parse.GetValue(clinics) ?? []], parse.GetValue(all), parse.GetValue(resume), parse.GetValue(progressEvery),
            CommandConfiguration.Build(parse.ConfigurationArguments()), output, cancellationToken));
        return new Command("audit", "The audit trail's commands.") { verify, AuditRetentionCommand.Create(output) };
    }

    private static async Task<int> RunAsync(
        List<string> clinics, bool all, bool resume, long progressEvery, IConfiguration configuration, CommandOutput output, CancellationToken cancellationToken)
    {
        var error = output.Error;
        var connectionString = PostgresOptions.Read(configuration).ResolveRuntime();
        var chain = ConfiguredOptions.Read(configuration, AuditChainOptions.SectionName, validator: new AuditChainOptionsValidator(" to verify the keyed chain"));
        var keys = new AuditChainKeys(CommandConfiguration.LoadKeyRing(chain.ChainKeyFile!, AuditChainOptions.ChainKeySetting, requireIndexKey: false));
        AuditCheckpoints? checkpoints = null;
        AuditVerifyProgressFiles? progress = null;
        if (!string.IsNullOrWhiteSpace(chain.CheckpointDirectory))
        {
            checkpoints = new AuditCheckpoints(chain.CheckpointDirectory, keys);
            progress = new AuditVerifyProgressFiles(chain.CheckpointDirectory, keys);
        }
        else if (resume)
        {
            await error.WriteLineAsync("Configuration error: Audit:CheckpointDirectory: --resume reads the verify progress recorded there; set it.");
            return ExitCodes.ConfigurationError;
        }
        else
        {
            await error.WriteLineAsync("warning: Audit:CheckpointDirectory is not set; a removed tail cannot be detected.");
        }

        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        var verifier = new AuditChainVerifier(dataSource, keys, checkpoints);
        var run = new AuditVerifyRun(progress, resume, progressEvery);
        var report = new AuditVerifyReport(output.Output);
        var warned = false;
        try
        {
            if (all)
            {
                clinics = [.. clinics.Union(await ClinicsWithAuditRecordsAsync(dataSource)).Union(checkpoints?.Clinics() ?? []).Order(StringComparer.Ordinal)];
                if (clinics.Count == 0)
                {
                    await output.Output.WriteLineAsync("No clinic has audit records.");
                }
            }

            foreach (var clinic in clinics)
            {
                var watch = Stopwatch.StartNew();
                var result = await verifier.VerifyAsync(clinic, run, cancellationToken);
                await report.ClinicAsync(result, watch.Elapsed);
                if (result.ProgressNotRecorded is { } why && !warned)
                {
                    // Once, not per clinic: a read-only directory (the CronJob's mount) refuses them all alike.
                    warned = true;
                    await error.WriteLineAsync($"warning: verify progress not recorded in Audit:CheckpointDirectory ({why}); a later --resume starts earlier.");
                }
            }

            await report.TotalAsync();
        }
        catch (InvalidDataException exception)
        {
            await error.WriteLineAsync($"Cannot read a checkpoint: {exception.Message}");
            return ExitCodes.ConfigurationError;
        }
        catch (NpgsqlException exception)
        {
            await error.WriteLineAsync($"Cannot read the audit trail: {exception.Message.ReplaceLineEndings(" ")}");
            return CommandConfiguration.ExitCodeOf(exception);
        }

        return report.Broken ? ExitCodes.ProblemFound : ExitCodes.Ok;
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
