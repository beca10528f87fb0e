using ClinicCluster.Clinics;
using ClinicCluster.Common;
using ClinicCluster.Patients;

namespace ClinicCluster.Scheduling;

/// <summary>
/// Reads what an appointment command needs from its clinic: the visit type, the time zone and the
/// booking policy (one clinic grain call), and for a new booking that the patient exists and the
/// start lies inside the booking window.
/// </summary>
public sealed class SchedulingContextReader(IGrainFactory grains, string clinicId)
{
    /// <summary>A new booking's context, or why it cannot be booked (unknown patient, provider or type; outside the window).</summary>
    public async Task<Result<SchedulingContext>> ForBookingAsync(BookAppointment command, DateTimeOffset now)
    {
        // Both questions at once: neither answer depends on the other.
        var patient = grains.GetGrain<IPatientGrain>(ClinicScopedKey.Format(clinicId, command.PatientId)).ExistsAsync();
        var scheduling = ForAsync(command.ProviderId, command.AppointmentType);
        await Task.WhenAll(patient, scheduling);
        if (!await patient)
        {
            return Error.NotFound("Patient");
        }

        var context = await scheduling;
        return context.Value is { } value && BookingRules.CheckWindow(value.Policy, command.Start, now) is { } outside
            ? outside
            : context;
    }

    /// <summary>The context of an existing appointment (its provider and visit type as they are now).</summary>
    public Task<Result<SchedulingContext>> ForAsync(LedgerRow current) => ForAsync(current.ProviderId, current.AppointmentType);

    /// <summary>
    /// The clinic's visit-time rules for an existing appointment: its policy and zone as they are
    /// now. They need neither the provider nor the visit type, so a visit whose provider or type was
    /// removed still follows them; a clinic that is gone leaves the defaults and the booking's zone.
    /// </summary>
    public async Task<VisitTimeRules> VisitRulesAsync(LedgerRow current) =>
        await grains.GetGrain<IClinicGrain>(clinicId).GetAsync() is { Settings: { } settings }
            ? new VisitTimeRules(settings.Policy, settings.TimeZone)
            : new VisitTimeRules(BookingPolicy.Default, current.TimeZone);

    private Task<Result<SchedulingContext>> ForAsync(string providerId, string appointmentType) =>
        grains.GetGrain<IClinicGrain>(clinicId).GetSchedulingContextAsync(providerId, appointmentType);
}
