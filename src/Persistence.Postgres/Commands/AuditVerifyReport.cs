using System.Globalization;
using ClinicCluster.Persistence.Postgres.Audit;

namespace ClinicCluster.Persistence.Postgres.Commands;

/// <summary>
/// The lines of <c>audit verify</c>: one per clinic, beginning as they always did
/// (<c>&lt;clinic&gt;: intact, N record(s) verified</c> or <c>&lt;clinic&gt;: BROKEN at sequence S</c>,
/// which the runbooks grep) and ending with the walk's seconds and rows/s; then one total line,
/// <c>all clinics: ...</c> (a space no clinic id holds). Clinic ids, sequences and counts only: no PHI.
/// </summary>
internal sealed class AuditVerifyReport(TextWriter output)
{
    private int _clinics;
    private int _broken;
    private long _rows;
    private TimeSpan _elapsed;

    public bool Broken => _broken > 0;

    public async Task ClinicAsync(AuditVerification result, TimeSpan elapsed)
    {
        (_clinics, _rows, _elapsed) = (_clinics + 1, _rows + result.VerifiedRecords, _elapsed + elapsed);
        var resumed = result.ResumedAfter is { } after ? $" after the verify progress at sequence {after}" : "";
        if (result.IsIntact)
        {
            var anchor = result.CheckpointSequence is { } at ? $", signed checkpoint at sequence {at} matches" : ", no checkpoint";
            await output.WriteLineAsync(Invariant($"{result.ClinicId}: intact, {result.VerifiedRecords} record(s) verified{resumed}{anchor}{Rate(result.VerifiedRecords, elapsed)}."));
        }
        else
        {
            _broken++;
            await output.WriteLineAsync(Invariant(
                $"{result.ClinicId}: BROKEN at sequence {result.BrokenAt} after {result.VerifiedRecords} intact record(s){resumed}: {result.Problem}{Rate(result.VerifiedRecords, elapsed)}."));
        }
    }

    /// <summary>The total line; none when no clinic was walked.</summary>
    public async Task TotalAsync()
    {
        if (_clinics == 0)
        {
            return;
        }

        // "intact," after the colon like a clinic's line, so `grep -v ': intact,'` still shows only what is broken.
        var state = _broken == 0 ? "intact," : $"{_broken} of {_clinics} BROKEN,";
        await output.WriteLineAsync(Invariant($"all clinics: {state} {_rows} record(s) verified in {_clinics} clinic(s){Rate(_rows, _elapsed)}."));
    }

    private static string Rate(long rows, TimeSpan elapsed) =>
        Invariant($" ({elapsed.TotalSeconds:F2} s, {(elapsed.TotalSeconds > 0 ? rows / elapsed.TotalSeconds : 0):F0} rows/s)");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
