using ClinicCluster.Scheduling;

namespace ClinicCluster.FaultInjection;

/// <summary>How an armed fault fails its step.</summary>
public enum FaultKind
{
    /// <summary>The step throws at once (a crashed call, a refused connection).</summary>
    Throw,

    /// <summary>The step hangs briefly, then fails as Orleans' response timeout does.</summary>
    Timeout,
}

/// <summary>
/// The tests' <see cref="ISchedulingFaults"/>: one armed fault at a time, for one appointment,
/// fired once. Shared by every silo of a process, so it works whichever silo runs the grain.
/// </summary>
public sealed class ArmedFaults : ISchedulingFaults
{
    private readonly Lock _sync = new();
    private (SchedulingOperation Operation, FaultStep Step, FaultKind Kind, string AppointmentId)? _armed;

    public int Fired { get; private set; }

    public void Arm(SchedulingOperation operation, FaultStep step, FaultKind kind, string appointmentId)
    {
        lock (_sync)
        {
            _armed = (operation, step, kind, appointmentId);
        }
    }

    public void Disarm()
    {
        lock (_sync)
        {
            _armed = null;
        }
    }

    public async ValueTask AtAsync(SchedulingOperation operation, FaultStep step, string appointmentId)
    {
        FaultKind kind;
        lock (_sync)
        {
            if (_armed is not { } armed || armed.Operation != operation || armed.Step != step || armed.AppointmentId != appointmentId)
            {
                return;
            }

            kind = armed.Kind;
            _armed = null;
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
