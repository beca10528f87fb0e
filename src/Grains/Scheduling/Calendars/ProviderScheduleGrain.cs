using ClinicCluster.Clinics;
using ClinicCluster.Common;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ClinicCluster.Scheduling;

/// <summary>
/// A provider's calendar. Working hours, time off and visit types are read from the clinic on each
/// request, so a change of configuration applies to the next booking without a cache to invalidate.
/// </summary>
public sealed class ProviderScheduleGrain(
    TimeProvider clock,
    IOptions<SchedulingOptions> options,
    IAppointmentLedger ledger,
    SchedulingMetrics metrics,
    ILogger<ProviderScheduleGrain> logger) : ScheduleGrain(CalendarOwner.Provider, clock, options, ledger, metrics, logger), IProviderScheduleGrain
{
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await base.OnActivateAsync(cancellationToken);

        // Every booking passes a provider's calendar: waking the clinic's sweeper here keeps it
        // running wherever there are appointments, at one message per calendar activation.
        GrainFactory.GetGrain<IAppointmentSweeperGrain>(ClinicId).WakeAsync().Ignore();
    }

    public async Task<Result<IReadOnlyList<Slot>>> GetAvailabilityAsync(DateOnly from, DateOnly to, string appointmentType)
    {
        if (to < from)
        {
            return Error.Validation("to", "'to' must not be before 'from'.");
        }

        if (to.DayNumber - from.DayNumber + 1 > Options.MaxAvailabilityDays)
        {
            return Error.Validation("to", $"A request may cover at most {Options.MaxAvailabilityDays} days.");
        }

        var context = await GetContextAsync(appointmentType);
        if (!context.IsSuccess)
        {
            return context.Error!;
        }

        var (timeZone, policy, type, provider) = context.Value!;
        var calculator = new SlotCalculator(timeZone, provider);
        var now = Clock.GetUtcNow();

        // Only the booking window can have slots; clamping to it also keeps the date arithmetic
        // far from DateOnly.MaxValue whatever dates a caller sends.
        var earliest = now.AddMinutes(policy.MinimumNoticeMinutes);
        var latest = now.AddDays(policy.MaximumHorizonDays);
        var first = ClinicTimeZones.LocalDate(timeZone, earliest);
        var last = ClinicTimeZones.LocalDate(timeZone, latest);
        (from, to) = (from < first ? first : from, to > last ? last : to);
        if (from > to)
        {
            return new List<Slot>();
        }

        var busy = BusyForOffers;
        IReadOnlyList<Slot> slots = calculator
            .OpenSlots(from, to, type, policy.SlotIntervalMinutes, busy, earliest, latest)
            .Select(range => new Slot(calculator.ToZoned(range.Start), calculator.ToZoned(range.End)))
            .ToList();
        return slots.ToList();
    }

    public async Task<Result<IReadOnlyList<AppointmentSummary>>> ListDayAsync(DateOnly date)
    {
        if (date >= DateOnly.MaxValue.AddDays(-1))
        {
            return Error.Validation("date", "Must be a date before 9999-12-30.");
        }

        var clinic = await GrainFactory.GetGrain<IClinicGrain>(ClinicId).GetAsync();
        if (clinic is null || !clinic.Providers.Any(p => p.Id == OwnerId))
        {
            return Error.NotFound("Provider");
        }

        var zone = clinic.Settings.TimeZone;
        var list = await ListAsync(ClinicTimeZones.StartOfDay(zone, date), ClinicTimeZones.StartOfDay(zone, date.AddDays(1)));
        return list.ToList();
    }

    public Task<Result<SlotHold>> HoldAsync(SlotHold hold, SchedulingContext context) =>
        HoldAsync(hold, (held, busyIn) => Task.FromResult(Refuse(held, context, busyIn)));

    protected override async Task<Error?> RefuseAsync(SlotHold hold, Func<TimeRange, IReadOnlyList<TimeRange>> busyIn)
    {
        var context = await GetContextAsync(hold.Appointment.AppointmentType);
        return context.IsSuccess ? Refuse(hold, context.Value!, busyIn) : context.Error;
    }

    private static Error? Refuse(SlotHold hold, SchedulingContext context, Func<TimeRange, IReadOnlyList<TimeRange>> busyIn)
    {
        // The check blocks the type's duration and buffer from the start; the hold carries its own
        // end. Asking for the wider of the two leaves the check every range it could look at.
        var type = context.Type;
        var start = hold.Appointment.Start;
        var typeEnd = start.AddMinutes(type.DurationMinutes + type.BufferMinutes);
        var busy = busyIn(new TimeRange(start, typeEnd > hold.BlockedUntil ? typeEnd : hold.BlockedUntil));
        var calculator = new SlotCalculator(context.TimeZone, context.Provider);
        return calculator.Check(start, type, busy) switch
        {
            null => null,
            SlotRefusal.OutsideWorkingHours => Error.Conflict("outside-working-hours", "The provider does not work at this time."),
            SlotRefusal.TimeOff => Error.Conflict("provider-time-off", "The provider is off at this time."),
            _ => LedgerWrite.ProviderBusy,
        };
    }

    private Task<Result<SchedulingContext>> GetContextAsync(string appointmentType) =>
        GrainFactory.GetGrain<IClinicGrain>(ClinicId).GetSchedulingContextAsync(OwnerId, appointmentType);
}
