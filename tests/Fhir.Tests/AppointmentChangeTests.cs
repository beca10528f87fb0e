using ClinicCluster.Fhir.Appointments;
using ClinicCluster.Fhir.Hosting;
using ClinicCluster.Scheduling;
using Hl7.Fhir.Model;
using NativeAppointment = ClinicCluster.Scheduling.Appointment;

namespace ClinicCluster.Fhir.Tests;

/// <summary>What a FHIR update may change (<see cref="AppointmentChange"/>), decided without a grain, and the If-Match parser.</summary>
public sealed class AppointmentChangeTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 14, 10, 0, 0, TimeSpan.FromHours(-5));

    private static readonly NativeAppointment Current = new("apt-1", "c-1", "pat-1", "prv-1", "checkup", Start, Start.AddMinutes(30),
        "Annual checkup", AppointmentStatus.Booked, null, Start.AddDays(-7), Start.AddDays(-7), null, Version: 3);

    [Theory]
    [InlineData(Hl7.Fhir.Model.Appointment.AppointmentStatus.Arrived, AppointmentStatus.CheckedIn, FhirAccess.AppointmentAttend)]
    [InlineData(Hl7.Fhir.Model.Appointment.AppointmentStatus.CheckedIn, AppointmentStatus.CheckedIn, FhirAccess.AppointmentAttend)]
    [InlineData(Hl7.Fhir.Model.Appointment.AppointmentStatus.Noshow, AppointmentStatus.NoShow, FhirAccess.AppointmentAttend)]
    [InlineData(Hl7.Fhir.Model.Appointment.AppointmentStatus.Fulfilled, AppointmentStatus.Fulfilled, FhirAccess.AppointmentComplete)]
    public void A_status_change_is_the_native_transition_with_its_permission(Hl7.Fhir.Model.Appointment.AppointmentStatus sent, AppointmentStatus target, FhirAccess access)
    {
        var resource = AppointmentMapper.ToFhir(Current, clinicalText: true);
        resource.Status = sent;

        var (change, refusal) = AppointmentChange.Decide(Current, resource, clinicalText: true);

        Assert.Null(refusal);
        Assert.Equal((ChangeKind.Status, target, access), (change!.Kind, change.Target, change.Access));
    }

    [Fact]
    public void A_cancellation_carries_its_reason_code_and_text_and_needs_book()
    {
        var resource = AppointmentMapper.ToFhir(Current, clinicalText: true);
        resource.Status = Hl7.Fhir.Model.Appointment.AppointmentStatus.Cancelled;
        resource.CancelationReason = new CodeableConcept(CancellationReasonCodes.FhirSystem, "prov") { Text = "Clinician ill" };

        var (change, _) = AppointmentChange.Decide(Current, resource, clinicalText: true);

        Assert.Equal((ChangeKind.Cancel, CancellationReasonCode.ClinicianUnavailable, "Clinician ill", FhirAccess.AppointmentBook),
            (change!.Kind, change.Code, change.Reason, change.Access));
    }

    [Fact]
    public void A_new_start_and_end_of_the_same_length_is_a_reschedule_and_another_length_is_refused()
    {
        var resource = AppointmentMapper.ToFhir(Current, clinicalText: false);
        resource.Start = Start.AddHours(2);
        resource.End = Start.AddHours(2).AddMinutes(30);
        Assert.Equal((ChangeKind.Reschedule, Start.AddHours(2)), AppointmentChange.Decide(Current, resource, false).Change is { } c ? (c.Kind, c.NewStart) : default);

        resource.End = Start.AddHours(3);
        Assert.NotNull(AppointmentChange.Decide(Current, resource, false).Refusal);
    }

    [Fact]
    public void Unchanged_is_no_change_and_any_other_element_or_two_changes_at_once_are_refused()
    {
        var same = AppointmentMapper.ToFhir(Current, clinicalText: true);
        Assert.Equal(ChangeKind.None, AppointmentChange.Decide(Current, same, true).Change!.Kind);

        var comment = AppointmentMapper.ToFhir(Current, clinicalText: true);
        comment.Comment = "x";
        var practitioner = AppointmentMapper.ToFhir(Current, clinicalText: true);
        practitioner.Participant[1].Actor = new ResourceReference("Practitioner/prv-2");
        var reason = AppointmentMapper.ToFhir(Current, clinicalText: false);
        reason.ReasonCode = [new CodeableConcept { Text = "Changed" }];
        var both = AppointmentMapper.ToFhir(Current, clinicalText: true);
        both.Status = Hl7.Fhir.Model.Appointment.AppointmentStatus.Arrived;
        both.Start = Start.AddHours(1);
        both.End = Start.AddHours(1).AddMinutes(30);
        var backwards = AppointmentMapper.ToFhir(Current, clinicalText: true);
        backwards.Status = Hl7.Fhir.Model.Appointment.AppointmentStatus.Proposed;

        Assert.All(new[] { comment, practitioner, reason, both, backwards }, r => Assert.NotNull(AppointmentChange.Decide(Current, r, true).Refusal));
    }

    [Fact]
    public void The_version_is_meta_versionId_and_If_Match_reads_weak_and_strong_tags_only()
    {
        Assert.Equal("3", AppointmentMapper.ToFhir(Current, clinicalText: true).Meta!.VersionId);
        Assert.Equal("W/\"3\"", FhirVersions.ETag(3));
        Assert.Equal(3, FhirVersions.Parse("W/\"3\""));
        Assert.Equal(3, FhirVersions.Parse("\"3\""));
        Assert.All(new[] { "3", "W/3", "*", "W/\"-1\"", "W/\"0\"", "W/\"99999999999999999999\"", "" }, t => Assert.Null(FhirVersions.Parse(t)));
    }
}
