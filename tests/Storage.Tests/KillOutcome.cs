using System.Globalization;
using System.Text;
using ClinicCluster.Scheduling;

namespace ClinicCluster.Storage.Tests;

/// <summary>
/// One kill case: which silo died at the step (the caller's own, or another), what its first
/// attempt answered, how many retries through a survivor it took, and whether everything agreed.
/// </summary>
internal sealed record KillOutcome(SchedulingOperation Operation, FaultStep Step, string Victim, string FirstAttempt,
    int Retries, string Recovered, int Findings, string? Disagreement, TimeSpan Took)
{
    /// <summary>The table printed to the test output: step x operation x outcome.</summary>
    public static string Table(IReadOnlyList<KillOutcome> outcomes, TimeSpan total)
    {
        var table = new StringBuilder();
        table.AppendLine(CultureInfo.InvariantCulture,
            $"{"operation",-11} {"step",-16} {"killed",-7} {"first attempt",-34} {"retries",7} {"recovered by",-22} {"findings",8} {"s",5}  agree");
        foreach (var o in outcomes)
        {
            table.AppendLine(CultureInfo.InvariantCulture,
                $"{o.Operation,-11} {o.Step,-16} {o.Victim,-7} {o.FirstAttempt,-34} {o.Retries,7} {o.Recovered,-22} {o.Findings,8} {o.Took.TotalSeconds,5:0.0}  {(o.Disagreement is null ? "yes" : "NO: " + o.Disagreement)}");
        }

        table.AppendLine(CultureInfo.InvariantCulture,
            $"{outcomes.Count} cases, {outcomes.Count(o => !o.FirstAttempt.StartsWith("succeeded", StringComparison.Ordinal))} failed first attempts, "
            + $"{outcomes.Count(o => o.Disagreement is not null)} disagreements, {total.TotalSeconds:0} s");
        return table.ToString();
    }
}
