using ClinicCluster.Clinics;
using ClinicCluster.Common;

namespace ClinicCluster.Scheduling;

/// <summary>
/// A recurring series (decision 0045). It only orchestrates: the rule and the occurrences are
/// <see cref="RecurrenceRule"/> and <see cref="SeriesRules"/>; each occurrence is booked as an
/// ordinary appointment whose id is derived from the series id and index (<see cref="SeriesIds"/>).
/// All-or-nothing works by holding every occurrence's slot first (checkout holds, decision 0036):
/// nothing is booked until every slot is held, so a conflict leaves nothing behind. A retry
/// finds the occurrences its first attempt booked in the ledger and books only the rest.
/// </summary>
public sealed class SeriesGrain(
    [PersistentState("series", StorageNames.Scheduling)] IPersistentState<SeriesState> state,
    TimeProvider clock) : Grain, ISeriesGrain
{
    private string ClinicId => ClinicScopedKey.Parse(this.GetPrimaryKeyString()).ClinicId;

    private string SeriesId => ClinicScopedKey.Parse(this.GetPrimaryKeyString()).Id;

    public async Task<Result<SeriesOutcome>> BookAsync(BookSeries request)
    {
        if (state.State.Series is { } existing)
        {
            return state.State.Request == request
                ? new SeriesOutcome(existing, [])
                : new Error(ErrorKind.IdempotencyMismatch, "idempotency-key-reused", "This idempotency key was already used for a different request.");
        }

        if (SeriesRules.Validate(request) is { } invalid)
        {
            return invalid;
        }

        if (await GrainFactory.GetGrain<IClinicGrain>(ClinicId).GetAsync() is not { } clinic)
        {
            return Error.NotFound("Clinic");
        }

        var zone = clinic.Settings.TimeZone;
        var starts = SeriesRules.Occurrences(zone, request.Start, RecurrenceRule.Parse(request.Rule).Value!);
        if (starts.Value is not { } occurrences)
        {
            return starts.Error!;
        }

        var attempt = new SeriesAttempt(request, occurrences, SeriesId, zone);
        if (await HoldAllAsync(attempt) is { } refused)
        {
            await attempt.ReleaseHoldsAsync(Calendar(request.ProviderId));
            return refused;
        }

        if (request.Mode == SeriesMode.AllOrNothing && attempt.Conflicts.Count > 0)
        {
            await attempt.ReleaseHoldsAsync(Calendar(request.ProviderId));
            return new SeriesOutcome(null, attempt.Conflicts);
        }

        await BookHeldAsync(attempt);
        if (request.Mode == SeriesMode.AllOrNothing && attempt.Conflicts.Count > 0)
        {
            await attempt.UndoAsync(Calendar(request.ProviderId), index => Appointment(attempt.AppointmentId(index)));
            return new SeriesOutcome(null, attempt.Conflicts);
        }

        var series = new AppointmentSeries(SeriesId, ClinicId, request.PatientId, request.ProviderId, request.AppointmentType, request.Rule,
            request.Mode, attempt.Outcomes(), clock.GetUtcNow());
        state.State.Request = request;
        state.State.Series = series;
        await state.WriteStateAsync();
        return new SeriesOutcome(series, attempt.Conflicts);
    }

    public Task<AppointmentSeries?> GetAsync() => Task.FromResult(state.State.Series);

    public async Task<Result<AppointmentSeries>> CancelFromAsync(int fromIndex, string? reason, CancellationReasonCode? code)
    {
        if (state.State.Series is not { } series)
        {
            return Error.NotFound("Series");
        }

        if (fromIndex < 0 || fromIndex >= series.Occurrences.Count)
        {
            return Error.Validation("fromIndex", $"Must be between 0 and {series.Occurrences.Count - 1}.");
        }

        Error? firstRefusal = null;
        var occurrences = series.Occurrences.ToList();
        for (var i = fromIndex; i < occurrences.Count; i++)
        {
            if (occurrences[i].Status != SeriesOccurrenceStatus.Booked)
            {
                continue;
            }

            var appointment = Appointment(occurrences[i].AppointmentId);
            if ((await appointment.GetAsync())?.Status != AppointmentStatus.Cancelled
                && await appointment.CancelAsync(reason, code) is { IsSuccess: false } refused)
            {
                firstRefusal ??= refused.Error;
                continue;
            }

            occurrences[i] = occurrences[i] with { Status = SeriesOccurrenceStatus.Cancelled };
        }

        state.State.Series = series = series with { Occurrences = occurrences };
        await state.WriteStateAsync();
        return firstRefusal is null ? series
            : Error.Conflict(firstRefusal.Code, "Some occurrences were not cancelled (" + firstRefusal.Message + ") Read the series for which.");
    }

    /// <summary>Holds each occurrence not already booked by an earlier attempt; a refusal that is not about the slot stops everything.</summary>
    private async Task<Error?> HoldAllAsync(SeriesAttempt attempt)
    {
        var booked = await Task.WhenAll(Enumerable.Range(0, attempt.Count).Select(i => Appointment(attempt.AppointmentId(i)).GetAsync()));
        var calendar = Calendar(attempt.Request.ProviderId);
        for (var i = 0; i < attempt.Count; i++)
        {
            if (booked[i] is { Status: not AppointmentStatus.Cancelled })
            {
                attempt.AlreadyBooked(i);
                continue;
            }

            var hold = await calendar.PlaceHoldAsync(attempt.HoldRequest(i));
            if (hold.Value is { } placed)
            {
                attempt.Held(i, placed.Id);
            }
            else if (SeriesRules.IsSlotConflict(hold.Error!))
            {
                attempt.Conflict(i, hold.Error!);
            }
            else
            {
                return hold.Error;
            }
        }

        return null;
    }

    private async Task BookHeldAsync(SeriesAttempt attempt)
    {
        foreach (var (index, holdId) in attempt.HeldOccurrences())
        {
            var booking = await Appointment(attempt.AppointmentId(index))
                .BookAsync(attempt.Booking(index, holdId), SeriesIds.Fingerprint(SeriesId, index));
            if (booking.IsSuccess)
            {
                attempt.Booked(index);
            }
            else
            {
                attempt.Conflict(index, booking.Error!);
            }
        }
    }

    private IAppointmentGrain Appointment(string appointmentId) =>
        GrainFactory.GetGrain<IAppointmentGrain>(ClinicScopedKey.Format(ClinicId, appointmentId));

    private IProviderScheduleGrain Calendar(string providerId) =>
        GrainFactory.GetGrain<IProviderScheduleGrain>(ClinicScopedKey.Format(ClinicId, providerId));
}
