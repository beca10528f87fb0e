using ClinicCluster.Common;

namespace ClinicCluster.Scheduling;

/// <summary>
/// The lifecycle verbs, each with and without an expected version: the conditional form (FHIR's
/// If-Match) is refused with <see cref="Error.StaleVersion"/> unless the row is still at that
/// version, checked in the grain's turn before anything is decided.
/// </summary>
public sealed partial class AppointmentGrain
{
    public Task<Result<Appointment>> RescheduleAsync(DateTimeOffset newStart) => Reschedule(newStart, null);

    public Task<Result<Appointment>> RescheduleAsync(DateTimeOffset newStart, long expectedVersion) => Reschedule(newStart, expectedVersion);

    public Task<Result<Appointment>> CancelAsync(string? reason, CancellationReasonCode? code) => Cancel(reason, code, null);

    public Task<Result<Appointment>> CancelAsync(string? reason, CancellationReasonCode? code, long expectedVersion) => Cancel(reason, code, expectedVersion);

    public Task<Result<Appointment>> ChangeStatusAsync(AppointmentStatus target) => ChangeStatus(target, null);

    public Task<Result<Appointment>> ChangeStatusAsync(AppointmentStatus target, long expectedVersion) => ChangeStatus(target, expectedVersion);

    private Task<Result<Appointment>> Reschedule(DateTimeOffset newStart, long? expectedVersion) =>
        ApplyAsync(SchedulingOperation.Reschedule, expectedVersion, async current =>
            AppointmentVerbs.Reschedule(current, newStart, await _context.ForAsync(current), clock.GetUtcNow()));

    private Task<Result<Appointment>> Cancel(string? reason, CancellationReasonCode? code, long? expectedVersion) =>
        ApplyAsync(SchedulingOperation.Cancel, expectedVersion, async current =>
            AppointmentVerbs.Cancel(current, reason, code, (await _context.ForAsync(current)).Value?.Policy, clock.GetUtcNow()));

    // The clock is read after the clinic's rules arrive: the window is judged at the latest instant.
    private Task<Result<Appointment>> ChangeStatus(AppointmentStatus target, long? expectedVersion) =>
        ApplyAsync(AppointmentVerbs.OperationOf(target), expectedVersion, async current =>
            AppointmentVerbs.ChangeStatus(current, target, await _context.VisitRulesAsync(current), clock.GetUtcNow()));
}
