using System.CommandLine;
using System.Globalization;
using ClinicCluster.Audit;
using ClinicCluster.Persistence.Postgres.Audit;
using ClinicCluster.ServiceDefaults;
using ClinicCluster.ServiceDefaults.Commands;
using Npgsql;

namespace ClinicCluster.Persistence.Postgres.Commands;

/// <summary>
/// <c>audit retention --before 2021-01-01 --archive-directory /archive [--months-ahead 3]</c>: creates
/// the months ahead, then expires every month that ended before the date (detach, sign the cuts,
/// archive, drop; decision 0041). Run it with the clinic_retention role's connection string and the
/// chain key ring (the cuts are signed with the active chain key). Exit codes: 0 done, 2
/// configuration, 64 usage, 69 the database cannot be reached.
/// </summary>
internal static class AuditRetentionCommand
{
    public static Command Create(CommandOutput output)
    {
        var before = new Option<string>("--before") { Description = "Expire the months that ended on or before this date (yyyy-MM-dd).", Required = true, HelpName = "date" };
        var archive = new Option<string>("--archive-directory") { Description = "Where each expired month is archived (binary COPY and its SHA-256).", Required = true, HelpName = "path" };
        var ahead = new Option<int>("--months-ahead") { Description = "Months after the current one to create first (1-120).", DefaultValueFactory = _ => 3, HelpName = "n" };
        var retention = new Command("retention", "Create months ahead, then detach, archive and drop the expired months of the audit trail.") { before, archive, ahead };
        // Rules on the options themselves: a command-level validator sees an omitted option as its
        // type's default (0), not DefaultValueFactory's 3, and refused every run without --months-ahead.
        before.Require(date => DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _)
            ? null
            : "--before must be a date (yyyy-MM-dd).");
        ahead.Require(months => months is < 1 or > 120 ? "--months-ahead must be 1..120." : null);
        retention.SetAction((parse, _) => RunAsync(
            DateOnly.ParseExact(parse.GetValue(before)!, "yyyy-MM-dd", CultureInfo.InvariantCulture), parse.GetValue(archive)!, parse.GetValue(ahead),
            CommandConfiguration.Build(parse.ConfigurationArguments()), output));
        return retention;
    }

    private static async Task<int> RunAsync(DateOnly cutoff, string archiveDirectory, int monthsAhead, IConfiguration configuration, CommandOutput output)
    {
        var connectionString = PostgresOptions.Read(configuration).ResolveRuntime();
        var chain = ConfiguredOptions.Read<AuditChainOptions>(configuration, AuditChainOptions.SectionName);
        if (string.IsNullOrWhiteSpace(chain.ChainKeyFile))
        {
            throw ConfigurationError.Problem($"{AuditChainOptions.ChainKeySetting} is required to sign the retention cuts.");
        }

        var keys = new AuditChainKeys(CommandConfiguration.LoadKeyRing(chain.ChainKeyFile, AuditChainOptions.ChainKeySetting, requireIndexKey: false));
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        try
        {
            var ahead = Microsoft.Extensions.Options.Options.Create(new AuditPartitionOptions { MonthsAhead = monthsAhead });
            var created = await new AuditPartitionMaintainer(dataSource, ahead, TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger<AuditPartitionMaintainer>.Instance)
                .EnsureAsync(CancellationToken.None);
            await output.Output.WriteLineAsync($"months ahead: {created} created.");

            var report = await new AuditRetention(dataSource, keys, archiveDirectory).ExpireBeforeAsync(cutoff, CancellationToken.None);
            foreach (var month in report.Months)
            {
                await output.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"{month.Month:yyyy-MM}: detached in {month.DetachTime.TotalMilliseconds:F0} ms ({month.Cuts} cut(s)), archived {month.ArchiveBytes} bytes to {month.Archive} in {month.ArchiveTime.TotalMilliseconds:F0} ms, dropped in {month.DropTime.TotalMilliseconds:F0} ms."));
            }

            await output.Output.WriteLineAsync($"expired {report.Months.Count} month(s); {report.CutsSigned} cut(s) signed.");
            return ExitCodes.Ok;
        }
        catch (NpgsqlException exception)
        {
            await output.Error.WriteLineAsync($"Audit retention failed: {exception.Message.ReplaceLineEndings(" ")}");
            return CommandConfiguration.ExitCodeOf(exception);
        }
    }
}
