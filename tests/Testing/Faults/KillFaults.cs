using ClinicCluster.Scheduling;

namespace ClinicCluster.Testing.Faults;

/// <summary>
/// The kill fault: when the armed step is reached, the silo running it freezes there (the step and
/// every later step on that silo never return, as in a process that died at that instruction) and
/// the test is told which silo to kill. One instance is shared by every silo of the process; each
/// silo registers its own <see cref="ISchedulingFaults"/> from <see cref="On"/>.
/// </summary>
public sealed class KillFaults
{
    // A task nobody completes: a frozen step neither returns nor throws, so no compensation, record
    // or retry timer of the dying activation runs after it.
    private static readonly Task Frozen = new TaskCompletionSource().Task;

    private readonly Lock _sync = new();
    private readonly HashSet<int> _frozen = [];
    private (SchedulingOperation Operation, FaultStep Step, string AppointmentId)? _armed;
    private TaskCompletionSource<int> _fired = NewSignal();

    /// <summary>Completes with the number of the silo that reached the armed step.</summary>
    public Task<int> Fired => _fired.Task;

    /// <summary>The seam silo <paramref name="silo"/> registers.</summary>
    public ISchedulingFaults On(int silo) => new Seam(this, silo);

    public void Arm(SchedulingOperation operation, FaultStep step, string appointmentId)
    {
        lock (_sync)
        {
            _armed = (operation, step, appointmentId);
            _fired = NewSignal();
        }
    }

    public void Disarm()
    {
        lock (_sync)
        {
            _armed = null;
        }
    }

    private static TaskCompletionSource<int> NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private Task AtAsync(int silo, SchedulingOperation operation, FaultStep step, string appointmentId)
    {
        lock (_sync)
        {
            if (_frozen.Contains(silo))
            {
                return Frozen;
            }

            if (_armed is not { } armed || armed.Operation != operation || armed.Step != step || armed.AppointmentId != appointmentId)
            {
                return Task.CompletedTask;
            }

            _armed = null;
            _frozen.Add(silo);
            _fired.TrySetResult(silo);
            return Frozen;
        }
    }

    private sealed class Seam(KillFaults faults, int silo) : ISchedulingFaults
    {
        public ValueTask AtAsync(SchedulingOperation operation, FaultStep step, string appointmentId) =>
            new(faults.AtAsync(silo, operation, step, appointmentId));
    }
}
