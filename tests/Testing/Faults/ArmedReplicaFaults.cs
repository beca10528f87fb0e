using ClinicCluster.Scheduling;

namespace ClinicCluster.Testing.Faults;

/// <summary>
/// The tests' <see cref="IReplicaFaults"/>: the next publications of one provider's calendar to its
/// clinic's replica fail, as many as armed. Shared by every silo of a process, so it works
/// whichever silo runs the replica.
/// </summary>
public sealed class ArmedReplicaFaults : IReplicaFaults
{
    private readonly Lock _sync = new();
    private readonly Dictionary<(string ClinicId, string ProviderId), int> _armed = [];

    public int Fired { get; private set; }

    /// <summary>Fails the next <paramref name="times"/> publications of the provider's calendar.</summary>
    public void Arm(string clinicId, string providerId, int times = 1)
    {
        lock (_sync)
        {
            _armed[(clinicId, providerId)] = times;
        }
    }

    public ValueTask AtPublishAsync(string clinicId, string providerId)
    {
        lock (_sync)
        {
            if (!_armed.TryGetValue((clinicId, providerId), out var left) || left <= 0)
            {
                return ValueTask.CompletedTask;
            }

            _armed[(clinicId, providerId)] = left - 1;
            Fired++;
        }

        throw new InvalidOperationException("Injected fault: the replica could not take the publication.");
    }
}
