namespace ClinicCluster.Scheduling;

/// <summary>
/// A test seam where the clinic's replica of the calendars takes a publication (decision 0059).
/// Production registers <see cref="NoReplicaFaults"/>; tests register one that throws for a chosen
/// provider, to prove that a failed publication neither fails the calendar's call nor leaves the
/// replica answering from what it no longer knows to be current.
/// </summary>
public interface IReplicaFaults
{
    /// <summary>Called before the replica of <paramref name="clinicId"/> applies a publication of <paramref name="providerId"/>; may throw.</summary>
    ValueTask AtPublishAsync(string clinicId, string providerId);
}

/// <summary>Production: no faults.</summary>
public sealed class NoReplicaFaults : IReplicaFaults
{
    public ValueTask AtPublishAsync(string clinicId, string providerId) => ValueTask.CompletedTask;
}
