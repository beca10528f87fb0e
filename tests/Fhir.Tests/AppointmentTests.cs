using ClinicCluster.Api.Auth;
using ClinicCluster.Audit;
using Hl7.Fhir.Model;

namespace ClinicCluster.Fhir.Tests;

/// <summary>Appointment read with a FhirClient: the native appointment, its participants, and clinical text per role.</summary>
[Collection(FhirCollection.Name)]
public sealed class AppointmentTests(FhirFixture fixture)
{
    [Fact]
    public async System.Threading.Tasks.Task A_booked_appointment_reads_with_its_participants_and_one_audit_event()
    {
        var (clinicId, providerId) = await fixture.ClinicAsync();
        var patientId = await fixture.PatientAsync(clinicId, NativeSetup.NewMrn());
        var appointmentId = await fixture.BookAsync(clinicId, providerId, patientId);
        var marker = "fhir-apt-" + Guid.NewGuid().ToString("N")[..8];

        var appointment = await fixture.Client(clinicId, FhirFixture.Token(Roles.Clinician, clinicId), marker).ReadAsync<Appointment>($"Appointment/{appointmentId}");

        Assert.Equal(appointmentId, appointment!.Id);
        Assert.Equal(Appointment.AppointmentStatus.Booked, appointment.Status);
        Assert.Equal([$"Patient/{patientId}", $"Practitioner/{providerId}"], appointment.Participant.Select(p => p.Actor!.Reference));
        Assert.Equal(TimeSpan.FromMinutes(30), appointment.End - appointment.Start);
        Assert.Equal("Annual checkup", appointment.ReasonCode.Single().Text);
        Assert.Null(appointment.Meta!.Tag.FirstOrDefault());
        var audit = Assert.Single(await fixture.EventsMarkedAsync(clinicId, marker));
        Assert.Equal((AuditAction.Read, "Appointment", patientId, appointmentId), (audit.Action, audit.ResourceType, audit.PatientId, audit.ResourceId));
    }

    [Fact]
    public async System.Threading.Tasks.Task Front_desk_reads_it_without_the_reason_tagged_subsetted()
    {
        var (clinicId, providerId) = await fixture.ClinicAsync();
        var appointmentId = await fixture.BookAsync(clinicId, providerId, await fixture.PatientAsync(clinicId, NativeSetup.NewMrn()));

        var appointment = await fixture.Client(clinicId, FhirFixture.Token(Roles.FrontDesk, clinicId)).ReadAsync<Appointment>($"Appointment/{appointmentId}");

        Assert.Empty(appointment!.ReasonCode);
        Assert.Equal("SUBSETTED", appointment.Meta!.Tag.Single().Code);
    }
}
