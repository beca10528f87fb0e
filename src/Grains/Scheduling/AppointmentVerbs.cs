using ClinicCluster.Clinics;
using ClinicCluster.Common;

namespace ClinicCluster.Scheduling;

/// <summary>
/// What a command does to an appointment's ledger row: the next row to commit, a refusal, or
/// nothing (the row already is what was asked: a repeated command is not an error).
/// </summary>
public readonly record struct Decision(LedgerRow? Next, Error? Refusal)
{
    public static Decision Unchanged => default;

    public static implicit operator Decision(LedgerRow next) => new(next, null);

    public static implicit operator Decision(Error refusal) => new(null, refusal);
}

/// <summary>The appointment's verbs as plain rules over its ledger row; the grain commits what they decide.</summary>
public static class AppointmentVerbs
{
    private static readonly string ReasonCodeRule =
        "Must be one of " + string.Join(", ", CancellationReasonCodes.All.Select(CancellationReasonCodes.Name)) + ".";

    /// <summary>A new booking's row (version 1 once inserted).</summary>
    public static LedgerRow Book(string clinicId, string appointmentId, BookAppointment command, SchedulingContext context,
        string? requestFingerprint, DateTimeOffset now)
    {
        var end = command.Start.AddMinutes(context.Type.DurationMinutes);
        return new LedgerRow(clinicId, appointmentId, command.PatientId, command.ProviderId, context.Type.Name,
            command.Start, end, context.Type.BufferMinutes, AppointmentStatus.Booked, context.TimeZone, command.Reason,
            CancellationReason: null, requestFingerprint, CreatedAt: now, UpdatedAt: now, BookedStart: command.Start,
            BookedEnd: end, Version: 1);
    }

    /// <summary>Moves a booked visit; the visit type's current length and buffer apply to the new range.</summary>
    public static Decision Reschedule(LedgerRow current, DateTimeOffset newStart, Result<SchedulingContext> scheduling, DateTimeOffset now)
    {
        if (!AppointmentTransitions.CanReschedule(current.Status))
        {
            return Error.Transition(AppointmentTransitions.Name(current.Status), "rescheduled");
        }

        if (newStart == current.Start)
        {
            return Decision.Unchanged;
        }

        if (scheduling.Value is not { } context)
        {
            return scheduling.Error!;
        }

        if (BookingRules.CheckWindow(context.Policy, newStart, now) is { } outside)
        {
            return outside;
        }

        return current with
        {
            Start = newStart,
            End = newStart.AddMinutes(context.Type.DurationMinutes),
            BufferMinutes = context.Type.BufferMinutes,
            UpdatedAt = now,
            DueSoonNoticedAt = null,
        };
    }

    /// <summary>
    /// Cancels a booked or checked-in visit. Once the patient is checked in the cancellation needs a
    /// coded reason (<paramref name="code"/>), so what happened to an arrived patient is countable and
    /// maps to FHIR; the free-text reason stays optional.
    /// </summary>
    public static Decision Cancel(LedgerRow current, string? reason, CancellationReasonCode? code, BookingPolicy? policy, DateTimeOffset now)
    {
        // The same text rule as the API's: the grain never stores what the edge would refuse.
        if (new ValidationErrors().OptionalText(reason, "reason", FieldLimits.Reason, multiline: true)
            .When(code is { } given && !CancellationReasonCodes.IsDefined(given), "reasonCode", ReasonCodeRule)
            .ToError() is { } invalid)
        {
            return invalid;
        }

        if (current.Status == AppointmentStatus.Cancelled)
        {
            return Decision.Unchanged;
        }

        if (!AppointmentTransitions.CanMove(current.Status, AppointmentStatus.Cancelled))
        {
            return Error.Transition(AppointmentTransitions.Name(current.Status), "cancelled");
        }

        if (current.Status == AppointmentStatus.CheckedIn && code is null)
        {
            return Error.Validation("reasonCode", "Required to cancel a checked-in visit. " + ReasonCodeRule);
        }

        return BookingRules.CheckCancellation(policy, current.Status, current.Start, now) is { } tooLate
            ? tooLate
            : current with { Status = AppointmentStatus.Cancelled, CancellationReason = reason, CancellationCode = code, UpdatedAt = now };
    }

    /// <summary>
    /// Check-in, completion (fulfilled) or no-show, each only inside its time window
    /// (<see cref="VisitTimeRules"/>): no check-in of next week's visit, no completion of one that
    /// has not started.
    /// </summary>
    public static Decision ChangeStatus(LedgerRow current, AppointmentStatus target, VisitTimeRules rules, DateTimeOffset now)
    {
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
            return Decision.Unchanged;
        }

        if (!AppointmentTransitions.CanMove(current.Status, target))
        {
            return Error.Transition(AppointmentTransitions.Name(current.Status), action);
        }

        return rules.Check(target, current.Start, current.End, now) is { } notNow
            ? notNow
            : current with { Status = target, UpdatedAt = now };
    }

    /// <summary>The faulted (and logged) operation of a status change: check-in, no-show, or completion.</summary>
    public static SchedulingOperation OperationOf(AppointmentStatus target) => target switch
    {
        AppointmentStatus.CheckedIn => SchedulingOperation.CheckIn,
        AppointmentStatus.NoShow => SchedulingOperation.NoShow,
        _ => SchedulingOperation.Complete,
    };

    /// <summary>
    /// What a replayed booking answers: the first outcome when the same request (fingerprint)
    /// comes again, a refusal when the id is taken by another request.
    /// </summary>
    public static Result<Appointment> Replay(LedgerRow existing, string? requestFingerprint) =>
        requestFingerprint is not null && requestFingerprint == existing.RequestFingerprint
            ? existing.ToOriginal()
            : new Error(ErrorKind.IdempotencyMismatch, "idempotency-key-reused",
                "This idempotency key was already used for a different request.");
}
