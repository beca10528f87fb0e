using ClinicCluster.Clinics;
using ClinicCluster.Common;
using ClinicCluster.Patients;
using Microsoft.Extensions.Logging;

namespace ClinicCluster.Scheduling;

/// <summary>
/// One appointment. Its state is its ledger row (decision 0006): loaded when first needed, changed
/// only by one conditional ledger statement per command (insert for a booking, update at the
/// expected version otherwise), and adopted in memory only after that statement committed. A
/// failure at any step therefore leaves the ledger's answer standing, and a retry reads it.
/// </summary>
public sealed partial class AppointmentGrain(
    IAppointmentLedger ledger,
    ISchedulingFaults faults,
    TimeProvider clock,
    ILogger<AppointmentGrain> logger) : Grain, IAppointmentGrain
{
    private static readonly TimeSpan RecordRetryPeriod = TimeSpan.FromSeconds(2);
    private const int RecordRetries = 5;

    private string _clinicId = "";
    private string _appointmentId = "";

    // The row as last committed, and whether it is known: false until loaded, and after a write
    // whose outcome is unknown (the next call reads the ledger).
    private LedgerRow? _row;
    private bool _known;

    private IGrainTimer? _recordRetry;
    private int _recordAttempts;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        (_clinicId, _appointmentId) = ClinicScopedKey.Parse(this.GetPrimaryKeyString());
        return base.OnActivateAsync(cancellationToken);
    }

    public async Task<Result<Appointment>> BookAsync(BookAppointment command, string? requestFingerprint)
    {
        if (_known && _row is not null)
        {
            return await ReplayAsync(_row, requestFingerprint);
        }

        if (BookingRules.Validate(command) is { } invalid)
        {
            return invalid;
        }

        // No read before the insert: the insert itself says whether the id is taken. A refusal of
        // the request may still be the replay of an earlier success (the window has moved since).
        var context = await BookableAsync(command);
        if (!context.IsSuccess)
        {
            return await CurrentAsync() is { } existing ? await ReplayAsync(existing, requestFingerprint) : context.Error!;
        }

        var row = AppointmentVerbs.Book(_clinicId, _appointmentId, command, context.Value!, requestFingerprint, clock.GetUtcNow());
        return await CommitAsync(SchedulingOperation.Book, row, expectedVersion: null, holdFirst: true);
    }

    public async Task<Appointment?> GetAsync() => (await CurrentAsync())?.ToAppointment();

    public async Task<Result<Appointment>> RescheduleAsync(DateTimeOffset newStart)
    {
        if (await CurrentAsync() is not { } current)
        {
            return Error.NotFound("Appointment");
        }

        var context = await ContextAsync(current);
        var decision = AppointmentVerbs.Reschedule(current, newStart, context, clock.GetUtcNow());
        return await ApplyAsync(SchedulingOperation.Reschedule, current, decision, holdFirst: true);
    }

    public async Task<Result<Appointment>> CancelAsync(string? reason)
    {
        if (await CurrentAsync() is not { } current)
        {
            return Error.NotFound("Appointment");
        }

        var context = await ContextAsync(current);
        var decision = AppointmentVerbs.Cancel(current, reason, context.Value?.Policy, clock.GetUtcNow());
        return await ApplyAsync(SchedulingOperation.Cancel, current, decision, holdFirst: false);
    }

    public async Task<Result<Appointment>> ChangeStatusAsync(AppointmentStatus target)
    {
        if (await CurrentAsync() is not { } current)
        {
            return Error.NotFound("Appointment");
        }

        var operation = target switch
        {
            AppointmentStatus.CheckedIn => SchedulingOperation.CheckIn,
            AppointmentStatus.NoShow => SchedulingOperation.NoShow,
            _ => SchedulingOperation.Complete,
        };
        return await ApplyAsync(operation, current, AppointmentVerbs.ChangeStatus(current, target, clock.GetUtcNow()), holdFirst: false);
    }

    public async Task<IReadOnlyList<ReconcileFinding>> ReconcileAsync()
    {
        var before = _known ? _row : null;
        var stored = await ledger.GetAsync(_clinicId, _appointmentId);
        Adopt(stored);
        return before is not null && stored is not null && before.Version != stored.Version
            ? [new ReconcileFinding(FindingKind.AppointmentStale, $"appointment/{_appointmentId}", _appointmentId, Repaired: true)]
            : [];
    }

    /// <summary>Commits a verb's decision, or answers its refusal; a repeated command re-records the calendars.</summary>
    private async Task<Result<Appointment>> ApplyAsync(SchedulingOperation operation, LedgerRow current, Decision decision, bool holdFirst)
    {
        if (decision.Refusal is { } refusal)
        {
            return refusal;
        }

        if (decision.Next is not { } next)
        {
            await Calendars(operation).RecordAsync(current);
            return current.ToAppointment();
        }

        return await CommitAsync(operation, next, current.Version, holdFirst);
    }

    /// <summary>
    /// The write path of every verb: hold both calendars (book, reschedule), commit one ledger
    /// statement, then tell both calendars. Only the statement decides the outcome.
    /// </summary>
    private async Task<Result<Appointment>> CommitAsync(SchedulingOperation operation, LedgerRow next, long? expectedVersion, bool holdFirst)
    {
        var calendars = Calendars(operation);
        if (holdFirst && await calendars.HoldAsync(next) is { } busy)
        {
            return busy;
        }

        // If the statement's outcome is unknown (an exception), the holds stay pending: each
        // calendar resolves them against the ledger after the pending-hold timeout.
        var write = await WriteAsync(operation, next, expectedVersion);
        if (write.Outcome == LedgerWriteOutcome.Written)
        {
            await RecordAsync(calendars, write.Row!);
            if (operation == SchedulingOperation.Book)
            {
                LogBooked(logger, _clinicId, _appointmentId);
            }
            return write.Row!.ToAppointment();
        }

        if (holdFirst)
        {
            await calendars.ReleaseAsync(next);
        }

        return write.Outcome switch
        {
            LedgerWriteOutcome.Refused => write.Refusal!,
            _ when expectedVersion is null => await ReplayAsync(write.Row!, next.RequestFingerprint),
            _ => Error.Conflict("appointment-changed", "The appointment was changed by another request; read it and try again."),
        };
    }

    private async Task<LedgerWrite> WriteAsync(SchedulingOperation operation, LedgerRow next, long? expectedVersion)
    {
        await faults.AtAsync(operation, FaultStep.LedgerWrite, _appointmentId);
        _known = false;
        var write = expectedVersion is { } expected
            ? await ledger.UpdateAsync(next, expected)
            : await ledger.InsertAsync(next);
        await faults.AtAsync(operation, FaultStep.LedgerCommitted, _appointmentId);
        Adopt(write.Row);
        return write;
    }

    private async Task<Result<Appointment>> ReplayAsync(LedgerRow existing, string? requestFingerprint)
    {
        var replay = AppointmentVerbs.Replay(existing, requestFingerprint);
        if (replay.IsSuccess)
        {
            // The first attempt may have failed after its commit: make sure the calendars know it.
            await RecordAsync(Calendars(SchedulingOperation.Book), existing);
        }

        return replay;
    }

    /// <summary>Records in both calendars; if that fails, retries on a timer while this activation lives.</summary>
    private async Task RecordAsync(CalendarPair calendars, LedgerRow committed)
    {
        if (await calendars.RecordAsync(committed) || _recordRetry is not null)
        {
            return;
        }

        _recordAttempts = 0;
        _recordRetry = this.RegisterGrainTimer(RetryRecordAsync, RecordRetryPeriod, RecordRetryPeriod);
    }

    private async Task RetryRecordAsync(CancellationToken cancellationToken)
    {
        if (_row is null || await Calendars(SchedulingOperation.Book).RecordAsync(_row) || ++_recordAttempts >= RecordRetries)
        {
            _recordRetry?.Dispose();
            _recordRetry = null;
        }
    }

    private async Task<LedgerRow?> CurrentAsync()
    {
        if (!_known)
        {
            Adopt(await ledger.GetAsync(_clinicId, _appointmentId));
        }

        return _row;
    }

    /// <summary>Keeps the newest row seen: an interleaved read never replaces a newer commit.</summary>
    private void Adopt(LedgerRow? row)
    {
        if (row is not null && row.AppointmentId == _appointmentId && row.Version >= (_row?.Version ?? 0))
        {
            _row = row;
        }

        _known = true;
    }

    private async Task<Result<SchedulingContext>> BookableAsync(BookAppointment command)
    {
        var patient = await GrainFactory.GetGrain<IPatientGrain>(ClinicScopedKey.Format(_clinicId, command.PatientId)).GetAsync();
        if (patient is null)
        {
            return Error.NotFound("Patient");
        }

        var context = await GrainFactory.GetGrain<IClinicGrain>(_clinicId).GetSchedulingContextAsync(command.ProviderId, command.AppointmentType);
        return context.Value is { } value && BookingRules.CheckWindow(value.Policy, command.Start, clock.GetUtcNow()) is { } outside
            ? outside
            : context;
    }

    private Task<Result<SchedulingContext>> ContextAsync(LedgerRow current) =>
        GrainFactory.GetGrain<IClinicGrain>(_clinicId).GetSchedulingContextAsync(current.ProviderId, current.AppointmentType);

    private CalendarPair Calendars(SchedulingOperation operation) => new(GrainFactory, faults, operation, logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Booked appointment {AppointmentId} in clinic {ClinicId}")]
    private static partial void LogBooked(ILogger logger, string clinicId, string appointmentId);
}
