using ClinicCluster.Clinics;
using ClinicCluster.Common;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ClinicCluster.Scheduling;

/// <summary>
/// A provider's calendar. Working hours, time off and visit types are read from the clinic on each
/// request, so a change of configuration applies to the next booking without a cache to invalidate.
/// Checkout holds are in <c>ProviderScheduleGrain.Holds.cs</c>.
/// </summary>
public sealed partial class ProviderScheduleGrain(
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
        RegisterHoldPruning();

        // A new activation's picture replaces whatever the replica kept of an earlier one.
        await PublishAsync();
    }

    public async Task<Result<IReadOnlyList<Slot>>> GetAvailabilityAsync(DateOnly from, DateOnly to, string appointmentType)
    {
        if (CheckRange(from, to) is { } invalid)
        {
            return invalid;
        }

        var context = await GetContextAsync(appointmentType);
        return context.IsSuccess ? OpenSlots(from, to, context.Value!) : context.Error!;
    }

    public Task<Result<IReadOnlyList<Slot>>> GetAvailabilityAsync(DateOnly from, DateOnly to, SchedulingContext context) =>
        Task.FromResult(CheckRange(from, to) is { } invalid ? invalid : OpenSlots(from, to, context));

    public Task<Result<IReadOnlyList<Slot>>> GetEarliestSlotsAsync(DateOnly from, DateOnly to, SchedulingContext context, DateTimeOffset notBefore, int limit)
    {
        var invalid = CheckRange(from, to) ?? (limit is < 1 or > ClinicAvailabilityLimits.MaxLimit + 1
            ? Error.Validation("limit", $"Must be between 1 and {ClinicAvailabilityLimits.MaxLimit + 1}.")
            : null);
        return Task.FromResult(invalid is null ? OpenSlots(from, to, context, notBefore, limit) : invalid);
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
        HoldAsync(hold, (held, busyIn) => Task.FromResult(RefuseWithHolds(held, context, busyIn)));

    protected override async Task<Error?> RefuseAsync(SlotHold hold, Func<TimeRange, IReadOnlyList<TimeRange>> busyIn)
    {
        var context = await GetContextAsync(hold.Appointment.AppointmentType);
        return context.IsSuccess ? RefuseWithHolds(hold, context.Value!, busyIn) : context.Error;
    }

    /// <summary>
    /// The calendar's refusal, else a checkout hold's (which claims a converted hold only then). A
    /// retried booking whose hold was used by its own first attempt is let through to its replay.
    /// </summary>
    private Error? RefuseWithHolds(SlotHold hold, SchedulingContext context, Func<TimeRange, IReadOnlyList<TimeRange>> busyIn) =>
        Refuse(hold, context, busyIn) ?? (_checkout.RefuseBooking(hold, Clock.GetUtcNow()) is { } refusal
            && !(refusal == HoldRules.HoldNotFound && HasRecorded(hold.Appointment.Id)) ? refusal : null);

    private static Error? Refuse(SlotHold hold, SchedulingContext context, Func<TimeRange, IReadOnlyList<TimeRange>> busyIn)
    {
        // The check blocks the type's duration and buffer from the start; the hold carries its own
        // end. Asking for the wider of the two leaves the check every range it could look at.
        var type = context.Type;
        var start = hold.Appointment.Start;
        var typeEnd = start.AddMinutes(type.DurationMinutes + type.BufferMinutes);
        var busy = busyIn(new TimeRange(start, typeEnd > hold.BlockedUntil ? typeEnd : hold.BlockedUntil));
        return Explain(new SlotCalculator(context.TimeZone, context.Provider).Check(start, type, busy));
    }

    private static Error? Explain(SlotRefusal? refusal) => refusal switch
    {
        null => null,
        SlotRefusal.OutsideWorkingHours => Error.Conflict("outside-working-hours", "The provider does not work at this time."),
        SlotRefusal.TimeOff => Error.Conflict("provider-time-off", "The provider is off at this time."),
        _ => LedgerWrite.ProviderBusy,
    };

    private Task<Result<SchedulingContext>> GetContextAsync(string appointmentType) =>
        GrainFactory.GetGrain<IClinicGrain>(ClinicId).GetSchedulingContextAsync(OwnerId, appointmentType);
}
