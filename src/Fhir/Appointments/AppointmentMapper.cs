using ClinicCluster.Scheduling;
using Hl7.Fhir.Model;
using NativeAppointment = ClinicCluster.Scheduling.Appointment;
using NativeStatus = ClinicCluster.Scheduling.AppointmentStatus;

namespace ClinicCluster.Fhir.Appointments;

/// <summary>
/// The one mapping of a native appointment to FHIR R4 <c>Appointment</c> (docs/fhir.md). Clinical
/// text (the reason, the cancellation's free text) only for roles that may read it; otherwise the
/// resource is tagged SUBSETTED, as FHIR asks of a partial resource.
/// </summary>
public static class AppointmentMapper
{
    public const string AppointmentTypeSystem = "https://clinic-cluster.dev/fhir/CodeSystem/appointment-type";
    public const string ObservationValueSystem = "http://terminology.hl7.org/CodeSystem/v3-ObservationValue";

    public static Hl7.Fhir.Model.Appointment ToFhir(NativeAppointment appointment, bool clinicalText)
    {
        var fhir = new Hl7.Fhir.Model.Appointment
        {
            Id = appointment.Id,
            Meta = new Meta { VersionId = Math.Max(1, appointment.Version).ToString(System.Globalization.CultureInfo.InvariantCulture), LastUpdated = appointment.UpdatedAt },
            Status = Status(appointment.Status),
            AppointmentType = new CodeableConcept(AppointmentTypeSystem, appointment.AppointmentType),
            Start = appointment.Start,
            End = appointment.End,
            Created = new FhirDateTime(appointment.CreatedAt).Value,
            Participant =
            [
                Participant("Patient/" + appointment.PatientId),
                Participant("Practitioner/" + appointment.ProviderId),
            ],
        };

        // R4's app-4 allows a cancellation reason on "cancelled" and "no-show", but the status code
        // is "noshow": in practice only a cancelled appointment may carry one and still validate.
        if (appointment.Status is NativeStatus.Cancelled
            && (appointment.CancellationCode is not null || (clinicalText && appointment.CancellationReason is { Length: > 0 })))
        {
            fhir.CancelationReason = CancellationReason(appointment, clinicalText);
        }

        if (clinicalText && appointment.Reason is { Length: > 0 } reason)
        {
            fhir.ReasonCode = [new CodeableConcept { Text = reason }];
        }
        else if (!clinicalText && (appointment.Reason is not null || appointment.CancellationReason is not null))
        {
            fhir.Meta.Tag = [new Coding(ObservationValueSystem, "SUBSETTED", "subsetted")];
        }

        return fhir;
    }

    public static Hl7.Fhir.Model.Appointment.AppointmentStatus Status(NativeStatus status) => status switch
    {
        NativeStatus.Booked => Hl7.Fhir.Model.Appointment.AppointmentStatus.Booked,
        NativeStatus.CheckedIn => Hl7.Fhir.Model.Appointment.AppointmentStatus.Arrived,
        NativeStatus.Fulfilled => Hl7.Fhir.Model.Appointment.AppointmentStatus.Fulfilled,
        NativeStatus.Cancelled => Hl7.Fhir.Model.Appointment.AppointmentStatus.Cancelled,
        NativeStatus.NoShow => Hl7.Fhir.Model.Appointment.AppointmentStatus.Noshow,
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "An appointment status without a FHIR mapping."),
    };

    private static CodeableConcept CancellationReason(NativeAppointment appointment, bool clinicalText)
    {
        var concept = new CodeableConcept();
        if (appointment.CancellationCode is { } code)
        {
            concept.Coding.Add(new Coding(CancellationReasonCodes.FhirSystem, CancellationReasonCodes.Fhir(code)));
        }

        if (clinicalText && appointment.CancellationReason is { Length: > 0 } text)
        {
            concept.Text = text;
        }

        return concept;
    }

    private static Hl7.Fhir.Model.Appointment.ParticipantComponent Participant(string reference) => new()
    {
        Actor = new ResourceReference(reference),
        Required = Hl7.Fhir.Model.Appointment.ParticipantRequired.Required,
        Status = ParticipationStatus.Accepted,
    };
}
