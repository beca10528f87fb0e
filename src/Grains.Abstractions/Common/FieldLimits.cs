namespace ClinicCluster.Common;

/// <summary>
/// Length limits of free-text fields that both sides check: the API refuses a longer value before
/// any grain is called, and the grain enforces the same rule so it never stores what the edge would
/// refuse. One constant each, so the two cannot drift apart.
/// </summary>
public static class FieldLimits
{
    /// <summary>An appointment's free-text reason (booking, cancellation): several lines allowed (<see cref="FreeText"/>).</summary>
    public const int Reason = 500;
}
