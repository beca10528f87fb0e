using System.ComponentModel.DataAnnotations;

namespace ClinicCluster.Silo.Dashboard;

/// <summary>
/// The Orleans Dashboard (section "Dashboard"), served on the management listener at /dashboard.
/// Outside the embedded default every request needs an operator's basic-auth credentials from
/// <see cref="CredentialsFile"/>; without that file the dashboard refuses everyone.
/// </summary>
public sealed class OperatorDashboardOptions : IValidatableObject
{
    public const string SectionName = "Dashboard";

    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Operator accounts, one <c>name:password</c> per line (a mounted Secret; lines starting with
    /// '#' are comments). Every account listed has the operator role, and only that role exists.
    /// </summary>
    public string? CredentialsFile { get; set; }

    /// <summary>The dashboard's live log stream: every log line of the silo to whoever watches. Off unless set.</summary>
    public bool LiveLogStream { get; set; }

    /// <summary>
    /// How often the dashboard samples the silo's counters (one point of its graphs each time).
    /// Each sample walks the activation directory's cache, about 1-3 % of a busy silo's CPU at the
    /// default of a second; a large cluster can sample less often.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:01:00")]
    public TimeSpan CounterUpdateInterval { get; set; } = TimeSpan.FromSeconds(1);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrWhiteSpace(CredentialsFile))
        {
            yield break;
        }

        if (!File.Exists(CredentialsFile))
        {
            yield return new ValidationResult($"{SectionName}:{nameof(CredentialsFile)} names no file.", [nameof(CredentialsFile)]);
        }
        else if (OperatorCredentials.Parse(File.ReadAllLines(CredentialsFile)) is null)
        {
            yield return new ValidationResult($"{SectionName}:{nameof(CredentialsFile)} holds no 'name:password' line, or a malformed one.", [nameof(CredentialsFile)]);
        }
    }
}
