using ClinicCluster.Fhir.Appointments;
using ClinicCluster.Scheduling;
using Hl7.Fhir.Model;

namespace ClinicCluster.Fhir.Operations;

/// <summary>An open slot of the clinic-wide search as a proposed FHIR Appointment (no id: nothing is stored until <c>$book</c>).</summary>
public static class Proposal
{
    public static Hl7.Fhir.Model.Appointment Of(ClinicSlot slot, string appointmentType, string? patientId)
    {
        var proposal = new Hl7.Fhir.Model.Appointment
        {
            Status = Hl7.Fhir.Model.Appointment.AppointmentStatus.Proposed,
            AppointmentType = new CodeableConcept(AppointmentMapper.AppointmentTypeSystem, appointmentType),
            Start = slot.Start,
            End = slot.End,
            MinutesDuration = (int)(slot.End - slot.Start).TotalMinutes,
            Participant = [Participant("Practitioner/" + slot.ProviderId)],
        };
        if (patientId is not null)
        {
            proposal.Participant.Add(Participant("Patient/" + patientId));
        }

        return proposal;
    }

    private static Hl7.Fhir.Model.Appointment.ParticipantComponent Participant(string reference) => new()
    {
        Actor = new ResourceReference(reference),
        Required = Hl7.Fhir.Model.Appointment.ParticipantRequired.Required,
        Status = ParticipationStatus.NeedsAction,
    };
}
