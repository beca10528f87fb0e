using ClinicCluster.Clinics;
using ClinicCluster.Common;
using ClinicCluster.Patients;

namespace ClinicCluster.Scheduling;

/// <summary>
/// The provider calendar's open slots and checkout holds (decision 0036). Holds live in this
/// activation's memory only: no stored row, no reminder. Their expiry is checked on every read,
/// so a slot is free again the instant its hold expires; a grain timer only prunes them. If the
/// silo dies the holds die with it, which frees their slots: the safe direction, since a hold is a
/// courtesy to a checkout and the ledger still refuses any double booking.
/// </summary>
public sealed partial class ProviderScheduleGrain
{
    private static readonly TimeSpan PruneInterval = TimeSpan.FromMinutes(1);

    private readonly CheckoutHolds _checkout = new();

    public async Task<Result<CheckoutHold>> PlaceHoldAsync(PlaceHold command)
    {
        if ((HoldRules.Validate(command) ?? (command.ProviderId == OwnerId ? null : Error.Validation("providerId", "Must be this calendar's provider."))) is { } invalid)
        {
            return invalid;
        }

        // Both questions at once: neither answer depends on the other.
        var patient = GrainFactory.GetGrain<IPatientGrain>(ClinicScopedKey.Format(ClinicId, command.PatientId)).ExistsAsync();
        var reading = GetContextAsync(command.AppointmentType);
        await Task.WhenAll(patient, reading);
        var context = await reading;
        if (!await patient)
        {
            return Error.NotFound("Patient");
        }

        if (context.Value is not { } scheduling)
        {
            return context.Error!;
        }

        var now = Clock.GetUtcNow();
        if (BookingRules.CheckWindow(scheduling.Policy, command.Start, now) is { } outside)
        {
            return outside;
        }

        var type = scheduling.Type;
        var blocked = new TimeRange(command.Start, command.Start.AddMinutes(type.DurationMinutes + type.BufferMinutes));
        var calculator = new SlotCalculator(scheduling.TimeZone, scheduling.Provider);
        if ((Explain(calculator.Check(command.Start, type, BusyIn(blocked))) ?? _checkout.RefusePlacement(blocked, now)) is { } refusal)
        {
            return refusal;
        }

        var hold = new CheckoutHold(HoldIds.New(OwnerId), command.PatientId, OwnerId, type.Name, calculator.ToZoned(command.Start),
            calculator.ToZoned(command.Start.AddMinutes(type.DurationMinutes)), now + HoldRules.Duration(command, Options.HoldMinute));
        _checkout.Place(hold, blocked);

        // Idle collection would drop the hold early (and free the slot, the safe direction); a
        // checkout deserves its minutes, so the calendar stays active until the hold expires.
        DelayDeactivation(hold.ExpiresAt - now + PruneInterval);

        // Out of the clinic-wide search before the checkout hears of its hold.
        await PublishAsync();
        return hold;
    }

    public async Task<Result<CheckoutHold>> ReleaseHoldAsync(string holdId)
    {
        if (_checkout.Release(holdId, Clock.GetUtcNow()) is not { } released)
        {
            return Error.NotFound("Hold");
        }

        await PublishAsync();
        return released;
    }

    /// <summary>A committed booking used up the hold it converted.</summary>
    protected override void OnRecorded(SlotHold hold) => _checkout.Recorded(hold.Appointment.Id);

    /// <summary>Prunes expired holds, and publishes to the clinic's replica again if the last publication failed.</summary>
    private void RegisterHoldPruning() =>
        this.RegisterGrainTimer(() =>
        {
            _checkout.Prune(Clock.GetUtcNow());
            return RepublishIfNeededAsync();
        }, PruneInterval, PruneInterval);

    private Error? CheckRange(DateOnly from, DateOnly to) =>
        to < from ? Error.Validation("to", "'to' must not be before 'from'.")
        : to.DayNumber - from.DayNumber + 1 > Options.MaxAvailabilityDays ? Error.Validation("to", $"A request may cover at most {Options.MaxAvailabilityDays} days.")
        : null;

    /// <summary>
    /// Open slots of the range under <paramref name="context"/>, neither booked nor held: the first
    /// <paramref name="limit"/> that start at or after <paramref name="notBefore"/>.
    /// </summary>
    private Result<IReadOnlyList<Slot>> OpenSlots(DateOnly from, DateOnly to, SchedulingContext context, DateTimeOffset? notBefore = null, int limit = int.MaxValue)
    {
        var now = Clock.GetUtcNow();
        var busy = BusyForOffers;
        busy.AddRange(_checkout.Blocking(now));
        return new Result<IReadOnlyList<Slot>>(OpenSlotSearch.Find(context, from, to, busy, now, notBefore, limit), null);
    }
}
