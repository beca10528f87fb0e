using ClinicCluster.Clinics;
using ClinicCluster.Common;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ClinicCluster.Scheduling;

/// <summary>
/// One appointment. Its state is its ledger row (decision 0006): loaded when first needed, changed
/// only by one conditional ledger statement per command (insert for a booking, update at the
/// expected version otherwise), and adopted in memory only after that statement committed. A
/// failure at any step therefore leaves the ledger's answer standing, and a retry reads it. The
/// grain only orchestrates: the verbs' rules are <see cref="AppointmentVerbs"/>,
/// <see cref="BookingRules"/> and <see cref="VisitTimeRules"/> (decision 0025), the calendars <see cref="CalendarPair"/> and <see cref="CalendarRecorder"/>.
/// </summary>
public sealed partial class AppointmentGrain(
    IAppointmentLedger ledger,
    ISchedulingFaults faults,
    IOptions<SchedulingOptions> options,
    TimeProvider clock,
    ILogger<AppointmentGrain> logger) : Grain, IAppointmentGrain
{
    private string _clinicId = "";
    private string _appointmentId = "";
    private CommittedRow _row = null!;
    private SchedulingContextReader _context = null!;
    private CalendarRecorder _recorder = null!;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        (_clinicId, _appointmentId) = ClinicScopedKey.Parse(this.GetPrimaryKeyString());
        _row = new CommittedRow(_appointmentId);
        _context = new SchedulingContextReader(GrainFactory, _clinicId);
        _recorder = new CalendarRecorder(this, options.Value, () => _row.Latest, () => Calendars(SchedulingOperation.Book));
        return base.OnActivateAsync(cancellationToken);
    }

    public async Task<Result<Appointment>> BookAsync(BookAppointment command, string? requestFingerprint)
    {
        if (_row.Known is { } known)
        {
            return await ReplayAsync(known, requestFingerprint);
        }

        if (BookingRules.Validate(command) is { } invalid)
        {
            return invalid;
        }

        // No read before the insert: the insert itself says whether the id is taken. A refusal of
        // the request may still be the replay of an earlier success (the window has moved since).
        var context = await _context.ForBookingAsync(command, clock.GetUtcNow());
        if (!context.IsSuccess)
        {
            return await CurrentAsync() is { } existing ? await ReplayAsync(existing, requestFingerprint) : context.Error!;
        }

        var row = AppointmentVerbs.Book(_clinicId, _appointmentId, command, context.Value!, requestFingerprint, clock.GetUtcNow());
        return await CommitAsync(SchedulingOperation.Book, row, expectedVersion: null, context.Value, command.HoldId);
    }

    public async Task<Appointment?> GetAsync() => (await CurrentAsync())?.ToAppointment();

    public async Task<IReadOnlyList<ReconcileFinding>> ReconcileAsync() =>
        _row.Reconcile(await ledger.GetAsync(_clinicId, _appointmentId))
            ? [new ReconcileFinding(FindingKind.AppointmentStale, $"appointment/{_appointmentId}", _appointmentId, Repaired: true)]
            : [];

    /// <summary>
    /// Decides a verb on the current row and commits the decision, or answers its refusal; a
    /// repeated command (nothing to change) re-records the calendars. With an expected version the
    /// row must still be at it (checked in this turn, and the ledger statement is conditional on it too).
    /// </summary>
    private async Task<Result<Appointment>> ApplyAsync(SchedulingOperation operation, long? expectedVersion, Func<LedgerRow, Task<Decision>> decide)
    {
        if (await CurrentAsync() is not { } current)
        {
            return Error.NotFound("Appointment");
        }

        if (expectedVersion is { } expected && current.Version != expected)
        {
            return Error.StaleVersion("appointment");
        }

        var decision = await decide(current);
        if (decision.Refusal is { } refusal)
        {
            return refusal;
        }

        if (decision.Next is not { } next)
        {
            await _recorder.RecordAsync(Calendars(operation), current);
            await OfferFreedSlotAgainAsync(operation, current);
            return current.ToAppointment();
        }

        var committed = await CommitAsync(operation, next, current.Version);
        if (committed.IsSuccess)
        {
            await OfferFreedSlotAsync(operation, current);
        }

        return committed;
    }

    /// <summary>
    /// The two-calendar sequence of every verb: hold both calendars (book and reschedule take a new
    /// range), commit one ledger statement, then record in both calendars what committed, or
    /// release the holds of what did not. Only the statement decides the outcome. A booking hands
    /// the provider's calendar the clinic context it read (one clinic call fewer per booking) and the checkout hold it converts.
    /// </summary>
    private async Task<Result<Appointment>> CommitAsync(SchedulingOperation operation, LedgerRow next, long? expectedVersion,
        SchedulingContext? context = null, string? holdId = null)
    {
        var calendars = Calendars(operation);
        var holds = operation is SchedulingOperation.Book or SchedulingOperation.Reschedule;
        if (holds && await calendars.HoldAsync(next, context, holdId) is { } busy)
        {
            return busy;
        }

        var write = await WriteAsync(operation, next, expectedVersion, calendars, holds);
        if (write.Outcome == LedgerWriteOutcome.Written)
        {
            await _recorder.RecordAsync(calendars, write.Row!);
            if (operation == SchedulingOperation.Book)
            {
                LogBooked(logger, _clinicId, _appointmentId);
            }

            return write.Row!.ToAppointment();
        }

        if (holds)
        {
            await calendars.TryReleaseAsync(next);
        }

        return write.Outcome == LedgerWriteOutcome.Refused ? write.Refusal!
            : expectedVersion is null ? await ReplayAsync(write.Row!, next.RequestFingerprint)
            : Error.Conflict("appointment-changed", "The appointment was changed by another request; read it and try again.");
    }

    /// <summary>
    /// The one ledger statement. A failure before it is sent committed nothing: the holds are
    /// released, and the caller sees that failure even when the release fails. Once it is sent, a
    /// failure leaves the outcome unknown and the holds pending: each calendar asks the ledger
    /// after the pending-hold timeout, so a hold is never dropped for a row that did commit.
    /// </summary>
    private async Task<LedgerWrite> WriteAsync(SchedulingOperation operation, LedgerRow next, long? expectedVersion, CalendarPair calendars, bool held)
    {
        await Compensation.OrUndoAsync(
            () => faults.AtAsync(operation, FaultStep.LedgerWrite, _appointmentId).AsTask(),
            () => held ? calendars.ReleaseAsync(next) : Task.CompletedTask,
            e => calendars.LogReleaseFailed(next, e));
        _row.Forget();
        var write = expectedVersion is { } expected
            ? await ledger.UpdateAsync(next, expected)
            : await ledger.InsertAsync(next);
        await faults.AtAsync(operation, FaultStep.LedgerCommitted, _appointmentId);
        _row.Adopt(write.Row);
        return write;
    }

    private async Task<Result<Appointment>> ReplayAsync(LedgerRow existing, string? requestFingerprint)
    {
        var replay = AppointmentVerbs.Replay(existing, requestFingerprint);
        if (replay.IsSuccess)
        {
            // The first attempt may have failed after its commit: make sure the calendars know it.
            await _recorder.RecordAsync(Calendars(SchedulingOperation.Book), existing);
        }

        return replay;
    }

    private async Task<LedgerRow?> CurrentAsync()
    {
        if (!_row.IsKnown)
        {
            _row.Adopt(await ledger.GetAsync(_clinicId, _appointmentId));
        }

        return _row.Latest;
    }

    private CalendarPair Calendars(SchedulingOperation operation) => new(GrainFactory, faults, operation, logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Booked appointment {AppointmentId} in clinic {ClinicId}")]
    private static partial void LogBooked(ILogger logger, string clinicId, string appointmentId);
}
