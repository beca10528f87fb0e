using ClinicCluster.Clinics;
using ClinicCluster.Common;
using ClinicCluster.Patients;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ClinicCluster.Scheduling;

/// <summary>
/// Coordinates one appointment across two calendars. Booking holds the provider's slot, then the
/// patient's, and only then stores the appointment; a refusal at either step releases what was held.
/// Moving works the same way with the new range, and the old range is freed only once the move is stored.
/// </summary>
public sealed partial class AppointmentGrain(
    [PersistentState("appointment", StorageNames.Scheduling)] IPersistentState<AppointmentState> state,
    IAppointmentLedger ledger,
    IOptions<SchedulingOptions> options,
    TimeProvider clock,
    ILogger<AppointmentGrain> logger) : Grain, IAppointmentGrain, IRemindable
{
    private const string NoShowReminder = "no-show";
    private const string DueSoonReminder = "due-soon";

    // Reminders repeat until unregistered; the period is only a retry if handling one fails.
    private static readonly TimeSpan ReminderRetryPeriod = TimeSpan.FromMinutes(1);

    private string _clinicId = "";
    private string _appointmentId = "";

    // What GetAsync answers: the appointment as last stored. GetAsync interleaves with writes, and
    // a calendar checking a hold must never see a booking that is still being written.
    private Appointment? _stored;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        (_clinicId, _appointmentId) = ClinicScopedKey.Parse(this.GetPrimaryKeyString());
        _stored = state.State.Current;
        return base.OnActivateAsync(cancellationToken);
    }

    public async Task<Result<Appointment>> BookAsync(BookAppointment command, string? requestFingerprint)
    {
        if (state.State.Current is not null)
        {
            return requestFingerprint is not null && requestFingerprint == state.State.RequestFingerprint
                ? state.State.Original!
                : new Error(ErrorKind.IdempotencyMismatch, "idempotency-key-reused",
                    "This idempotency key was already used for a different request.");
        }

        var invalid = new ValidationErrors()
            .When(!Identifiers.IsValid(command.PatientId), "patientId", "Must be a patient id.")
            .When(!Identifiers.IsValid(command.ProviderId), "providerId", "Must be a provider id.")
            .Text(command.AppointmentType, "appointmentType", 64)
            .OptionalText(command.Reason, "reason", 500, multiline: true)
            .ToError();
        if (invalid is not null)
        {
            return invalid;
        }

        var patient = await GrainFactory
            .GetGrain<IPatientGrain>(ClinicScopedKey.Format(_clinicId, command.PatientId))
            .GetAsync();
        if (patient is null)
        {
            return Error.NotFound("Patient");
        }

        var context = await GetContextAsync(command.ProviderId, command.AppointmentType);
        if (!context.IsSuccess)
        {
            return context.Error!;
        }

        var now = clock.GetUtcNow();
        if (CheckPolicy(context.Value!.Policy, command.Start, now) is { } policyError)
        {
            return policyError;
        }

        var type = context.Value.Type;
        var appointment = new Appointment(
            _appointmentId, _clinicId, command.PatientId, command.ProviderId, type.Name,
            Start: ClinicTimeZones.ToZoned(context.Value.TimeZone, command.Start),
            End: ClinicTimeZones.ToZoned(context.Value.TimeZone, command.Start.AddMinutes(type.DurationMinutes)),
            command.Reason, AppointmentStatus.Booked, CancellationReason: null, CreatedAt: now, UpdatedAt: now);

        if (await HoldBothAsync(context.Value.TimeZone, appointment, type.BufferMinutes) is { } refusal)
        {
            return refusal;
        }

        state.State.Current = appointment;
        state.State.Original = appointment;
        state.State.BufferMinutes = type.BufferMinutes;
        state.State.TimeZone = context.Value.TimeZone;
        state.State.RequestFingerprint = requestFingerprint;
        try
        {
            await state.WriteStateAsync();
            _stored = appointment;
        }
        catch
        {
            state.State.Current = state.State.Original = null;
            await ledger.RemoveAsync(_clinicId, _appointmentId);
            await ReleaseBothAsync(appointment);
            throw;
        }

        await RecordBothAsync(appointment);
        await ScheduleRemindersAsync(appointment);
        LogBooked(logger, _clinicId, _appointmentId);
        return appointment;
    }

    public Task<Appointment?> GetAsync() => Task.FromResult(_stored);

    public async Task<Result<Appointment>> RescheduleAsync(DateTimeOffset newStart)
    {
        if (state.State.Current is not { } current)
        {
            return Error.NotFound("Appointment");
        }

        if (!AppointmentTransitions.CanReschedule(current.Status))
        {
            return Error.Transition(AppointmentTransitions.Name(current.Status), "rescheduled");
        }

        if (newStart == current.Start)
        {
            return current;
        }

        var context = await GetContextAsync(current.ProviderId, current.AppointmentType);
        if (!context.IsSuccess)
        {
            return context.Error!;
        }

        var now = clock.GetUtcNow();
        if (CheckPolicy(context.Value!.Policy, newStart, now) is { } policyError)
        {
            return policyError;
        }

        var type = context.Value.Type;
        var moved = current with
        {
            Start = ClinicTimeZones.ToZoned(context.Value.TimeZone, newStart),
            End = ClinicTimeZones.ToZoned(context.Value.TimeZone, newStart.AddMinutes(type.DurationMinutes)),
            UpdatedAt = now,
        };

        if (await HoldBothAsync(state.State.TimeZone, moved, type.BufferMinutes) is { } refusal)
        {
            return refusal;
        }

        var previousBuffer = state.State.BufferMinutes;
        state.State.Current = moved;
        state.State.BufferMinutes = type.BufferMinutes;
        try
        {
            await state.WriteStateAsync();
            _stored = moved;
        }
        catch
        {
            state.State.Current = current;
            state.State.BufferMinutes = previousBuffer;
            await ledger.WriteAsync(_clinicId, state.State.TimeZone, Summarize(current), current.End.AddMinutes(previousBuffer));
            await ReleaseBothAsync(moved);
            throw;
        }

        // Recording the new range is what frees the old one, so the patient never holds neither.
        await RecordBothAsync(moved);
        await ScheduleRemindersAsync(moved);
        return moved;
    }

    public async Task<Result<Appointment>> CancelAsync(string? reason)
    {
        if (state.State.Current is not { } current)
        {
            return Error.NotFound("Appointment");
        }

        if (current.Status == AppointmentStatus.Cancelled)
        {
            return current; // A repeated cancel (a client retry) is not an error.
        }

        if (!AppointmentTransitions.CanMove(current.Status, AppointmentStatus.Cancelled))
        {
            return Error.Transition(AppointmentTransitions.Name(current.Status), "cancelled");
        }

        var context = await GetContextAsync(current.ProviderId, current.AppointmentType);
        var now = clock.GetUtcNow();
        if (current.Status == AppointmentStatus.Booked && context.IsSuccess
            && current.Start - now < TimeSpan.FromMinutes(context.Value!.Policy.CancellationCutoffMinutes))
        {
            return Error.Conflict("cancellation-cutoff",
                $"Appointments can be cancelled up to {context.Value.Policy.CancellationCutoffMinutes} minutes before they start.");
        }

        return await StoreAsync(current with { Status = AppointmentStatus.Cancelled, CancellationReason = reason, UpdatedAt = now });
    }

    public async Task<Result<Appointment>> ChangeStatusAsync(AppointmentStatus target)
    {
        if (state.State.Current is not { } current)
        {
            return Error.NotFound("Appointment");
        }

        var action = target switch
        {
            AppointmentStatus.CheckedIn => "checked in",
            AppointmentStatus.Fulfilled => "completed",
            AppointmentStatus.NoShow => "marked no-show",
            _ => null,
        };
        if (action is null)
        {
            return Error.Validation("status", "Use cancel or reschedule for this change.");
        }

        if (current.Status == target)
        {
            return current; // A repeated transition (a client retry) is not an error.
        }

        if (!AppointmentTransitions.CanMove(current.Status, target))
        {
            return Error.Transition(AppointmentTransitions.Name(current.Status), action);
        }

        var now = clock.GetUtcNow();
        if (target == AppointmentStatus.NoShow && now < current.Start)
        {
            return Error.Conflict("not-started", "An appointment can be marked no-show only after it starts.");
        }

        return await StoreAsync(current with { Status = target, UpdatedAt = now });
    }

    private async Task<Result<Appointment>> StoreAsync(Appointment next)
    {
        if (await ledger.WriteAsync(_clinicId, state.State.TimeZone, Summarize(next), next.End.AddMinutes(state.State.BufferMinutes)) is { } refused)
        {
            return refused;
        }

        state.State.Current = next;
        await state.WriteStateAsync();
        _stored = next;
        await RecordBothAsync(next);
        await ScheduleRemindersAsync(next);
        return next;
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        var now = clock.GetUtcNow();
        var current = state.State.Current;
        switch (reminderName)
        {
            case NoShowReminder when current is { Status: AppointmentStatus.Booked } && now < current.End + options.Value.NoShowAfter:
                return; // Early tick (clock skew between silos): the next period handles it.
            case NoShowReminder when current is { Status: AppointmentStatus.Booked }:
                await StoreAsync(current with { Status = AppointmentStatus.NoShow, UpdatedAt = now });
                LogMarkedNoShow(logger, _clinicId, _appointmentId);
                break;
            case DueSoonReminder when current is { Status: AppointmentStatus.Booked } && now < current.Start:
                // The notification service will subscribe to this; until then it is a log line
                // with ids and time only, never patient details.
                LogDueSoon(logger, _clinicId, _appointmentId, current.Start);
                break;
        }

        await UnregisterAsync(reminderName);
    }

    /// <summary>
    /// A booked visit has a due-soon and a no-show reminder at times derived from its start and end;
    /// any other status needs neither. Called after every stored change, so a move re-times them.
    /// </summary>
    private async Task ScheduleRemindersAsync(Appointment appointment)
    {
        if (appointment.Status != AppointmentStatus.Booked)
        {
            await UnregisterAsync(NoShowReminder);
            await UnregisterAsync(DueSoonReminder);
            return;
        }

        var now = clock.GetUtcNow();
        await this.RegisterOrUpdateReminder(NoShowReminder, DueIn(appointment.End + options.Value.NoShowAfter - now), ReminderRetryPeriod);
        await this.RegisterOrUpdateReminder(DueSoonReminder, DueIn(appointment.Start - options.Value.DueSoonBefore - now), ReminderRetryPeriod);

        static TimeSpan DueIn(TimeSpan delay) => delay > TimeSpan.FromSeconds(1) ? delay : TimeSpan.FromSeconds(1);
    }

    private async Task UnregisterAsync(string reminderName)
    {
        if (await this.GetReminder(reminderName) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    private static Error? CheckPolicy(BookingPolicy policy, DateTimeOffset start, DateTimeOffset now)
    {
        if (start < now.AddMinutes(policy.MinimumNoticeMinutes))
        {
            return Error.Validation("start", $"Appointments must be booked at least {policy.MinimumNoticeMinutes} minutes ahead.");
        }

        return start > now.AddDays(policy.MaximumHorizonDays)
            ? Error.Validation("start", $"Appointments can be booked at most {policy.MaximumHorizonDays} days ahead.")
            : null;
    }

    private Task<Result<SchedulingContext>> GetContextAsync(string providerId, string appointmentType) =>
        GrainFactory.GetGrain<IClinicGrain>(_clinicId).GetSchedulingContextAsync(providerId, appointmentType);

    /// <summary>
    /// Holds the range in the provider's calendar, then the patient's, then writes it to the ledger
    /// (the database's own overlap check, where there is one). A refusal releases what was held.
    /// </summary>
    private async Task<Error?> HoldBothAsync(string timeZone, Appointment appointment, int bufferMinutes)
    {
        var summary = Summarize(appointment);
        var blockedUntil = summary.End.AddMinutes(bufferMinutes);
        var provider = ProviderSchedule(appointment);
        var held = await provider.HoldAsync(new SlotHold(summary, blockedUntil));
        if (!held.IsSuccess)
        {
            return held.Error;
        }

        var patientHeld = await PatientSchedule(appointment).HoldAsync(new SlotHold(summary, summary.End));
        if (!patientHeld.IsSuccess)
        {
            await provider.ReleaseAsync(appointment.Id, appointment.Start);
            return patientHeld.Error;
        }

        if (await ledger.WriteAsync(_clinicId, timeZone, summary, blockedUntil) is { } taken)
        {
            await ReleaseBothAsync(appointment);
            return taken;
        }

        return null;
    }

    private async Task ReleaseBothAsync(Appointment appointment)
    {
        await ProviderSchedule(appointment).ReleaseAsync(appointment.Id, appointment.Start);
        await PatientSchedule(appointment).ReleaseAsync(appointment.Id, appointment.Start);
    }

    /// <summary>
    /// Tells both calendars what was stored. If this fails the appointment is still stored, and the
    /// calendars keep its pending hold until they confirm it with this grain.
    /// </summary>
    private async Task RecordBothAsync(Appointment appointment)
    {
        var summary = Summarize(appointment);
        try
        {
            await ProviderSchedule(appointment).RecordAsync(new SlotHold(summary, summary.End.AddMinutes(state.State.BufferMinutes)));
            await PatientSchedule(appointment).RecordAsync(new SlotHold(summary, summary.End));
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogRecordFailed(logger, exception, _clinicId, _appointmentId);
        }
    }

    private IProviderScheduleGrain ProviderSchedule(Appointment appointment) =>
        GrainFactory.GetGrain<IProviderScheduleGrain>(ClinicScopedKey.Format(_clinicId, appointment.ProviderId));

    private IPatientScheduleGrain PatientSchedule(Appointment appointment) =>
        GrainFactory.GetGrain<IPatientScheduleGrain>(ClinicScopedKey.Format(_clinicId, appointment.PatientId));

    private static AppointmentSummary Summarize(Appointment a) =>
        new(a.Id, a.PatientId, a.ProviderId, a.AppointmentType, a.Start, a.End, a.Status);

    [LoggerMessage(Level = LogLevel.Information, Message = "Appointment {AppointmentId} in clinic {ClinicId} was not checked in and is now a no-show")]
    private static partial void LogMarkedNoShow(ILogger logger, string clinicId, string appointmentId);

    [LoggerMessage(EventId = 4100, EventName = "AppointmentDueSoon", Level = LogLevel.Information, Message = "Appointment {AppointmentId} in clinic {ClinicId} is due at {Start}")]
    private static partial void LogDueSoon(ILogger logger, string clinicId, string appointmentId, DateTimeOffset start);

    [LoggerMessage(Level = LogLevel.Information, Message = "Booked appointment {AppointmentId} in clinic {ClinicId}")]
    private static partial void LogBooked(ILogger logger, string clinicId, string appointmentId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not record appointment {AppointmentId} of clinic {ClinicId} in its calendars; they will confirm it later")]
    private static partial void LogRecordFailed(ILogger logger, Exception exception, string clinicId, string appointmentId);
}
