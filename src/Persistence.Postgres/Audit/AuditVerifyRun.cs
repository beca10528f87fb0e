namespace ClinicCluster.Persistence.Postgres.Audit;

/// <summary>
/// How one <c>audit verify</c> walk records and uses its progress (decision 0058).
/// <see cref="Progress"/>: where progress records live (null: none is read or written).
/// <see cref="Resume"/>: start after the clinic's recorded progress instead of at the genesis or cut.
/// <see cref="ProgressEvery"/>: rows between two records (and one more at the end of an intact walk).
/// <see cref="Recorded"/>: told after each record is written (lets a test stop the walk there).
/// </summary>
public sealed record AuditVerifyRun(
    AuditVerifyProgressFiles? Progress = null,
    bool Resume = false,
    long ProgressEvery = AuditVerifyRun.DefaultProgressEvery,
    Action<AuditVerifyProgress>? Recorded = null)
{
    /// <summary>About seven seconds of walking at the measured rate: a killed run loses at most that much.</summary>
    public const long DefaultProgressEvery = 100_000;
}
