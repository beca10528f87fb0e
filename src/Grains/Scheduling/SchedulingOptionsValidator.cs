using Microsoft.Extensions.Options;

namespace ClinicCluster.Scheduling;

/// <summary>The rules of <see cref="SchedulingOptions"/>, each message naming its setting.</summary>
public sealed class SchedulingOptionsValidator : IValidateOptions<SchedulingOptions>
{
    public ValidateOptionsResult Validate(string? name, SchedulingOptions options)
    {
        var failures = new List<string>();
        Check(options.PendingHoldTimeout > TimeSpan.Zero, "Scheduling:PendingHoldTimeout must be positive.");
        // Replaced by each clinic's policy (decision 0025): refused rather than silently ignored.
        Check(options.NoShowAfter is null,
            "Scheduling:NoShowAfter was replaced by the clinics' policy field checkInGraceMinutes (decision 0025); remove the setting.");
        Check(options.DueSoonBefore >= TimeSpan.Zero, "Scheduling:DueSoonBefore must not be negative.");
        Check(options.ReconcileInterval >= TimeSpan.FromSeconds(1), "Scheduling:ReconcileInterval must be at least one second.");
        Check(options.SweepInterval >= TimeSpan.FromSeconds(1), "Scheduling:SweepInterval must be at least one second.");
        Check(options.RecordRetryDelay >= TimeSpan.FromMilliseconds(100) && options.RecordRetryDelay <= TimeSpan.FromMinutes(1),
            "Scheduling:RecordRetryDelay must be between 100 ms and one minute.");
        Check(options.RecordRetries is >= 0 and <= 20, "Scheduling:RecordRetries must be between 0 and 20.");
        Check(options.HoldMinute >= TimeSpan.FromMilliseconds(100) && options.HoldMinute <= TimeSpan.FromMinutes(1),
            "Scheduling:HoldMinute must be between 100 ms and one minute.");
        Check(options.ReplicaPublishTimeout >= TimeSpan.FromMilliseconds(10) && options.ReplicaPublishTimeout <= TimeSpan.FromSeconds(30),
            "Scheduling:ReplicaPublishTimeout must be between 10 ms and 30 seconds.");
        Check(options.MaxAvailabilityDays is >= 1 and <= 366, "Scheduling:MaxAvailabilityDays must be between 1 and 366.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);

        void Check(bool valid, string failure)
        {
            if (!valid)
            {
                failures.Add(failure);
            }
        }
    }
}
