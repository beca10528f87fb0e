namespace ClinicCluster.Scheduling;

/// <summary>
/// A test seam at every write step of the appointment verbs. Production registers
/// <see cref="NoSchedulingFaults"/>; the fault-injection tests register one that throws, times
/// out or kills the process at a chosen step, to prove that no step's failure splits the truth.
/// </summary>
public interface ISchedulingFaults
{
    /// <summary>Called when <paramref name="operation"/> reaches <paramref name="step"/>; may throw.</summary>
    ValueTask AtAsync(SchedulingOperation operation, FaultStep step, string appointmentId);
}

/// <summary>The verbs whose writes are faulted.</summary>
public enum SchedulingOperation
{
    Book,
    Reschedule,
    Cancel,
    CheckIn,
    Complete,
    NoShow,
}

/// <summary>
/// The write steps of a verb, in order, then the compensation. Holds are taken (and released)
/// only by book and reschedule.
/// </summary>
public enum FaultStep
{
    /// <summary>After the provider's calendar took the hold (its answer is lost).</summary>
    HoldProvider,

    /// <summary>After the patient's calendar took the hold (its answer is lost).</summary>
    HoldPatient,

    /// <summary>Before the ledger statement is sent (nothing committed).</summary>
    LedgerWrite,

    /// <summary>After the ledger statement committed, before the grain saw the answer.</summary>
    LedgerCommitted,

    /// <summary>Before the provider's calendar is told what was committed.</summary>
    RecordProvider,

    /// <summary>Before the patient's calendar is told what was committed.</summary>
    RecordPatient,

    /// <summary>
    /// Before the holds of a booking that did not commit are released (a compensation, not a step
    /// of every verb: it runs after a refusal or a failure that committed nothing).
    /// </summary>
    Release,
}

/// <summary>Production: no faults.</summary>
public sealed class NoSchedulingFaults : ISchedulingFaults
{
    public ValueTask AtAsync(SchedulingOperation operation, FaultStep step, string appointmentId) => ValueTask.CompletedTask;
}
