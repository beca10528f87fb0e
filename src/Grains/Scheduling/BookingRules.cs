using ClinicCluster.Clinics;
using ClinicCluster.Common;

namespace ClinicCluster.Scheduling;

/// <summary>The clinic's booking policy applied to one request: what may be booked, moved or cancelled when.</summary>
public static class BookingRules
{
    /// <summary>Field errors of a booking request, or null.</summary>
    public static Error? Validate(BookAppointment command) => new ValidationErrors()
        .When(!Identifiers.IsValid(command.PatientId), "patientId", "Must be a patient id.")
        .When(!Identifiers.IsValid(command.ProviderId), "providerId", "Must be a provider id.")
        .Text(command.AppointmentType, "appointmentType", 64)
        .OptionalText(command.Reason, "reason", FieldLimits.Reason, multiline: true)
        .When(command.HoldId is not null && HoldIds.ProviderOf(command.HoldId) != command.ProviderId, "holdId", "Must be a hold id of this provider.")
        .ToError();

    /// <summary>A start outside the booking window (minimum notice, maximum horizon), or null.</summary>
    public static Error? CheckWindow(BookingPolicy policy, DateTimeOffset start, DateTimeOffset now)
    {
        if (start < now.AddMinutes(policy.MinimumNoticeMinutes))
        {
            return Error.Validation("start", $"Appointments must be booked at least {policy.MinimumNoticeMinutes} minutes ahead.");
        }

        return start > now.AddDays(policy.MaximumHorizonDays)
            ? Error.Validation("start", $"Appointments can be booked at most {policy.MaximumHorizonDays} days ahead.")
            : null;
    }

    /// <summary>
    /// A booked visit can be cancelled only up to the cutoff before its start; a checked-in one at
    /// any time (the patient is here, the visit did not happen). Without a policy (the provider or
    /// visit type is gone) nothing stops a cancellation.
    /// </summary>
    public static Error? CheckCancellation(BookingPolicy? policy, AppointmentStatus status, DateTimeOffset start, DateTimeOffset now) =>
        status == AppointmentStatus.Booked && policy is not null && start - now < TimeSpan.FromMinutes(policy.CancellationCutoffMinutes)
            ? Error.Conflict("cancellation-cutoff",
                $"Appointments can be cancelled up to {policy.CancellationCutoffMinutes} minutes before they start.")
            : null;
}
