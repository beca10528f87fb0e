using ClinicCluster.Scheduling;
using FhirAppointment = Hl7.Fhir.Model.Appointment;
using FhirStatus = Hl7.Fhir.Model.Appointment.AppointmentStatus;

namespace ClinicCluster.Fhir.Appointments;

/// <summary>
/// A FHIR Appointment to book, as the native booking command: one <c>Patient/{id}</c> and one
/// <c>Practitioner/{id}</c> participant (a <c>Location</c> may be named too: there is one, the
/// clinic), the visit type as a code of our appointment-type system, a start, and optionally one
/// reason text. The grain validates the values as it does for the native API; problems here are
/// fixed sentences.
/// </summary>
public static class BookingRequest
{
    public static (BookAppointment? Command, string? Problem) From(FhirAppointment appointment)
    {
        if (appointment.Status is not (null or FhirStatus.Booked or FhirStatus.Proposed or FhirStatus.Pending))
        {
            return (null, "A booking's status is booked (or proposed or pending, which book it).");
        }

        var actors = appointment.Participant.Select(p => p.Actor?.Reference ?? "").ToList();
        var patients = actors.Where(a => a.StartsWith("Patient/", StringComparison.Ordinal)).Select(a => a["Patient/".Length..]).ToList();
        var practitioners = actors.Where(a => a.StartsWith("Practitioner/", StringComparison.Ordinal)).Select(a => a["Practitioner/".Length..]).ToList();
        if (patients.Count != 1 || practitioners.Count != 1
            || actors.Count != 2 + actors.Count(a => a.StartsWith("Location/", StringComparison.Ordinal)))
        {
            return (null, "participant: exactly one Patient/{id} and one Practitioner/{id} actor (and optionally the Location).");
        }

        var codes = appointment.AppointmentType?.Coding
            .Where(c => c.System is null or AppointmentMapper.AppointmentTypeSystem && !string.IsNullOrWhiteSpace(c.Code)).ToList() ?? [];
        if (codes.Count != 1)
        {
            return (null, $"appointmentType: one coding from {AppointmentMapper.AppointmentTypeSystem}.");
        }

        if (appointment.Start is not { } start)
        {
            return (null, "start: the instant the visit starts.");
        }

        if (appointment.ReasonCode.Count > 1 || appointment.ReasonCode.Any(r => r.Coding.Count > 0))
        {
            return (null, "reasonCode: at most one, as text.");
        }

        return (new BookAppointment(patients[0], practitioners[0], codes[0].Code!, start, appointment.ReasonCode.FirstOrDefault()?.Text), null);
    }
}
