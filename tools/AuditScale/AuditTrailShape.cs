namespace ClinicCluster.AuditScale;

/// <summary>
/// What to generate: <see cref="Rows"/> events per clinic, evenly over <see cref="Days"/> days from
/// <see cref="Start"/>, about a clinic's working pattern (reads of one patient, searches that
/// disclose several, creates and updates). <see cref="HotPatientEvents"/> events name one patient
/// (<see cref="HotPatient"/>, by default <see cref="HotPatientId"/>), the "patient with 10,000 events".
/// </summary>
public sealed record AuditTrailShape(
    int Clinics,
    long Rows,
    int Patients,
    int Actors,
    DateOnly Start,
    int Days,
    int HotPatientEvents,
    int BatchSize = 5_000,
    int Seed = 21,
    string ClinicPrefix = "scale",
    string? ClinicId = null,
    string HotPatient = AuditTrailShape.HotPatientId)
{
    public const string HotPatientId = "pat-hot-000001";

    /// <summary>
    /// The clinic ids the run fills (lower-case, as clinic ids are): <see cref="ClinicId"/> alone when
    /// set (an existing clinic, scripts/bench-scale.sh), else numbered from the prefix.
    /// </summary>
    public IEnumerable<string> ClinicIds => ClinicId is { } one ? [one] : Enumerable.Range(1, Clinics).Select(i => $"{ClinicPrefix}-{i:D3}");

    /// <summary>The patient a generated event reads, for the i-th of <paramref name="patients"/>.</summary>
    public static string PatientId(int i) => $"pat-{i:D7}";
}
