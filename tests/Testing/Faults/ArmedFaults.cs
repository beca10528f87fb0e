using ClinicCluster.Scheduling;

namespace ClinicCluster.Testing.Faults;

/// <summary>How an armed fault fails its step.</summary>
public enum FaultKind
{
    /// <summary>The step throws at once (a crashed call, a refused connection).</summary>
    Throw,

    /// <summary>The step hangs briefly, then fails as Orleans' response timeout does.</summary>
    Timeout,
}

/// <summary>
/// The tests' <see cref="ISchedulingFaults"/>: faults armed for one appointment each, every one
/// fired once, at its step. Several may be armed at a time (a failed step and then its failed
/// compensation). Shared by every silo of a process, so it works whichever silo runs the grain.
/// </summary>
public sealed class ArmedFaults : ISchedulingFaults
{
    private readonly Lock _sync = new();
    private readonly List<(SchedulingOperation Operation, FaultStep Step, FaultKind Kind, string AppointmentId)> _armed = [];

    public int Fired { get; private set; }

    /// <summary>Arms one more fault; the ones armed before stay armed.</summary>
    public void Arm(SchedulingOperation operation, FaultStep step, FaultKind kind, string appointmentId)
    {
        lock (_sync)
        {
            _armed.Add((operation, step, kind, appointmentId));
        }
    }

    /// <summary>Drops every fault that has not fired.</summary>
    public void Disarm()
    {
        lock (_sync)
        {
            _armed.Clear();
        }
    }

    public async ValueTask AtAsync(SchedulingOperation operation, FaultStep step, string appointmentId)
    {
        FaultKind kind;
        lock (_sync)
        {
            var index = _armed.FindIndex(a => a.Operation == operation && a.Step == step && a.AppointmentId == appointmentId);
            if (index < 0)
            {
                return;
            }

            kind = _armed[index].Kind;
            _armed.RemoveAt(index);
            Fired++;
        }

        if (kind == FaultKind.Timeout)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50));
            throw new TimeoutException($"Injected timeout at {step} of {operation}.");
        }

        throw new InvalidOperationException($"Injected fault at {step} of {operation}.");
    }
}
