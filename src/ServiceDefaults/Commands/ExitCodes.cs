namespace ClinicCluster.ServiceDefaults.Commands;

/// <summary>
/// The one table of exit codes for both hosts and every command (docs/operations/commands.md).
/// The usage and unavailable codes are the BSD sysexits values, so a script or a Kubernetes Job
/// can tell "fix the command line" and "try again later" from "fix a setting".
/// </summary>
public static class ExitCodes
{
    /// <summary>Done: nothing found, nothing left to do.</summary>
    public const int Ok = 0;

    /// <summary>The command ran and found or hit a problem in the data: a broken chain, a repair, a failed migration.</summary>
    public const int ProblemFound = 1;

    /// <summary>A setting is missing or wrong (one "Configuration error:" line names it).</summary>
    public const int ConfigurationError = 2;

    /// <summary>The command line itself is wrong: an unknown command or option, a missing or bad value (EX_USAGE).</summary>
    public const int Usage = 64;

    /// <summary>PostgreSQL or the cluster could not be reached; running it again later may succeed (EX_UNAVAILABLE).</summary>
    public const int Unavailable = 69;
}
