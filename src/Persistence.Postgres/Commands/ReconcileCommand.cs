using System.CommandLine;
using ClinicCluster.Scheduling;
using ClinicCluster.ServiceDefaults.Commands;

namespace ClinicCluster.Persistence.Postgres.Commands;

/// <summary>
/// <c>reconcile --clinic c1 [--clinic c2]</c>: joins the running cluster as a client and has each
/// clinic's reconciler compare every activated calendar and appointment with the ledger, repair
/// them to it, and report. One line per finding, ids only. Exit codes: 0 clean, 1 something was
/// repaired or could not be, 2 configuration, 64 usage, 69 the cluster cannot be reached.
/// </summary>
internal static class ReconcileCommand
{
    public const string Name = "reconcile";

    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(30);

    public static Command Create(CommandOutput output, IClusterAccess cluster)
    {
        var clinics = new Option<string[]>("--clinic") { Description = "A clinic to reconcile (repeat for more).", HelpName = "id", Required = true };
        var command = new Command(Name, "Compare each clinic's activated calendars and appointments with the ledger, repair them to it and report.")
        {
            clinics,
        };
        command.SetAction((parse, _) => RunAsync(parse.GetRequiredValue(clinics), CommandConfiguration.Build(parse.ConfigurationArguments()), cluster, output));
        return command;
    }

    private static async Task<int> RunAsync(string[] clinics, IConfiguration configuration, IClusterAccess cluster, CommandOutput output)
    {
        var (error, result) = (output.Error, output.Output);
        using (var client = cluster.BuildClient(configuration))
        {
            try
            {
                using var connect = new CancellationTokenSource(ConnectTimeout);
                await client.StartAsync(connect.Token);
            }
            catch (Exception exception) when (exception is OperationCanceledException or OrleansException or TimeoutException)
            {
                await error.WriteLineAsync($"Cannot reach the cluster: {exception.Message.ReplaceLineEndings(" ")}");
                return ExitCodes.Unavailable;
            }

            var grains = client.Services.GetRequiredService<IClusterClient>();
            var differences = 0;
            foreach (var clinic in clinics)
            {
                var findings = await grains.GetGrain<IClinicReconcilerGrain>(clinic).ReconcileAsync();
                foreach (var finding in findings)
                {
                    await result.WriteLineAsync($"{clinic}: {finding}");
                }

                differences += findings.Count;
                await result.WriteLineAsync($"{clinic}: {(findings.Count == 0 ? "clean" : $"{findings.Count} finding(s), {findings.Count(f => f.Repaired)} repaired")}");
            }

            await client.StopAsync();
            return differences == 0 ? ExitCodes.Ok : ExitCodes.ProblemFound;
        }
    }
}
