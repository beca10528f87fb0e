using ClinicCluster.Common;
using ClinicCluster.Scheduling;
using Hl7.Fhir.Model;
using FhirAppointment = Hl7.Fhir.Model.Appointment;
using FhirStatus = Hl7.Fhir.Model.Appointment.AppointmentStatus;
using NativeAppointment = ClinicCluster.Scheduling.Appointment;

namespace ClinicCluster.Fhir.Appointments;

/// <summary>What a FHIR update asks of an appointment, in the native verbs' terms.</summary>
public enum ChangeKind
{
    None,
    Status,
    Cancel,
    Reschedule,
}

/// <summary>
/// The one change a FHIR <c>PUT Appointment</c> may make, decided by comparing the sent resource
/// with the current one as this caller would read it: a status (checked-in/arrived, noshow,
/// fulfilled, cancelled with <c>cancelationReason</c>) or a new start and end (a reschedule, the
/// visit keeping its length). Any other difference is a 422: FHIR elements we do not store cannot
/// be set, and the native verbs are the only way an appointment changes.
/// </summary>
public sealed record AppointmentChange(ChangeKind Kind, AppointmentStatus Target = default, DateTimeOffset NewStart = default,
    string? Reason = null, CancellationReasonCode? Code = null)
{
    /// <summary>The change, or the diagnostics of a 422 (fixed sentences, no submitted value).</summary>
    public static (AppointmentChange? Change, string? Refusal) Decide(NativeAppointment current, FhirAppointment sent, bool clinicalText)
    {
        var expected = AppointmentMapper.ToFhir(current, clinicalText);
        var a = Comparable(sent, sent.ReasonCode.Count > 0);
        var b = Comparable(expected, sent.ReasonCode.Count > 0);
        if (!a.IsExactly(b))
        {
            return (null, "Only status (with cancelationReason) or start and end may change; other elements are as the server holds them.");
        }

        var statusChanged = sent.Status != expected.Status;
        var moved = sent.Start != current.Start || sent.End != current.End;
        if (statusChanged && moved)
        {
            return (null, "Change the status or the time, not both in one update.");
        }

        if (sent.Status != FhirStatus.Cancelled && !SameReason(sent, expected))
        {
            return (null, "cancelationReason may only be given with the status cancelled.");
        }

        if (moved)
        {
            return sent.Start is { } start && sent.End is { } end && end - start == current.End - current.Start
                ? (new AppointmentChange(ChangeKind.Reschedule, NewStart: start), null)
                : (null, "A new start and end must keep the visit's length (the visit type's duration).");
        }

        if (!statusChanged)
        {
            return sent.Status == FhirStatus.Cancelled && !SameReason(sent, expected)
                ? (null, "The cancelationReason of a cancelled appointment cannot change.")
                : (new AppointmentChange(ChangeKind.None), null);
        }

        return sent.Status switch
        {
            FhirStatus.Arrived or FhirStatus.CheckedIn => (new AppointmentChange(ChangeKind.Status, AppointmentStatus.CheckedIn), null),
            FhirStatus.Noshow => (new AppointmentChange(ChangeKind.Status, AppointmentStatus.NoShow), null),
            FhirStatus.Fulfilled => (new AppointmentChange(ChangeKind.Status, AppointmentStatus.Fulfilled), null),
            FhirStatus.Cancelled => Cancellation(sent),
            _ => (null, "The status may change to arrived (checked-in), noshow, fulfilled or cancelled only."),
        };
    }

    /// <summary>The native permission the change needs (as the native verb's route requires).</summary>
    public FhirAccess Access => Kind switch
    {
        ChangeKind.Status when Target == AppointmentStatus.Fulfilled => FhirAccess.AppointmentComplete,
        ChangeKind.Status => FhirAccess.AppointmentAttend,
        ChangeKind.Cancel or ChangeKind.Reschedule => FhirAccess.AppointmentBook,
        _ => FhirAccess.AppointmentRead,
    };

    private static (AppointmentChange?, string?) Cancellation(FhirAppointment sent)
    {
        var reason = sent.CancelationReason;
        var coding = reason?.Coding.Where(c => c.System == CancellationReasonCodes.FhirSystem).ToList() ?? [];
        if (reason is not null && (coding.Count != reason.Coding.Count || coding.Count > 1))
        {
            return (null, $"cancelationReason: at most one coding, from {CancellationReasonCodes.FhirSystem}.");
        }

        CancellationReasonCode? code = null;
        if (coding.Count == 1)
        {
            code = CancellationCodes.FromFhir(coding[0].Code);
            if (code is null)
            {
                return (null, "cancelationReason: not a code of appointment-cancellation-reason this server records.");
            }
        }

        if (reason?.Text is { } text && FreeText.Problem(text, FieldLimits.Reason, multiline: true) is not null)
        {
            return (null, $"cancelationReason.text: at most {FieldLimits.Reason} characters, no control characters.");
        }

        return (new AppointmentChange(ChangeKind.Cancel, AppointmentStatus.Cancelled, Reason: reason?.Text, Code: code), null);
    }

    private static bool SameReason(FhirAppointment a, FhirAppointment b) =>
        a.CancelationReason is null ? b.CancelationReason is null : a.CancelationReason.IsExactly(b.CancelationReason);

    // What must be as the server holds it: everything but the changeable elements and the server's own (meta, text, created).
    private static FhirAppointment Comparable(FhirAppointment resource, bool keepReason)
    {
        var copy = (FhirAppointment)resource.DeepCopy();
        copy.Id = null;
        copy.Meta = null;
        copy.Text = null;
        copy.Status = null;
        copy.Start = null;
        copy.End = null;
        copy.Created = null;
        copy.CancelationReason = null;
        if (!keepReason)
        {
            copy.ReasonCode = [];
        }

        return copy;
    }
}
