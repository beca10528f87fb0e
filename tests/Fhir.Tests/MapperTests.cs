using ClinicCluster.Fhir.Appointments;
using ClinicCluster.Fhir.Patients;
using ClinicCluster.Patients;
using ClinicCluster.Scheduling;
using Hl7.Fhir.Model;
using NativeAppointment = ClinicCluster.Scheduling.Appointment;
using NativePatient = ClinicCluster.Patients.Patient;

namespace ClinicCluster.Fhir.Tests;

/// <summary>The native-to-FHIR mappings, field by field, each result validated against R4.</summary>
public sealed class MapperTests
{
    private static readonly DateTimeOffset Created = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Patient_maps_every_demographic_field()
    {
        var native = new NativePatient("pat-1", "c-1", new PatientDemographics("MRN-7", "Jo", "Doe", new DateOnly(1984, 2, 29), AdministrativeSex.Female,
            "+1 212 555 0100", "jo@example.org", new PostalAddress("1 Main St", "Apt 4", "New York", "NY", "10001", "US")), Created, Created.AddDays(1));

        var fhir = PatientMapper.ToFhir(native);

        Assert.Equal("pat-1", fhir.Id);
        var mrn = Assert.Single(fhir.Identifier);
        Assert.Equal((PatientMapper.MrnSystem, "MRN-7", "MR"), (mrn.System, mrn.Value, mrn.Type!.Coding[0].Code));
        Assert.Equal(("Doe", "Jo"), (fhir.Name[0].Family, fhir.Name[0].Given.Single()));
        Assert.Equal("1984-02-29", fhir.BirthDate);
        Assert.Equal(AdministrativeGender.Female, fhir.Gender);
        Assert.Equal(["+1 212 555 0100", "jo@example.org"], fhir.Telecom.Select(t => t.Value));
        Assert.Equal(["1 Main St", "Apt 4"], fhir.Address[0].Line);
        Assert.Equal(("New York", "NY", "10001", "US"), (fhir.Address[0].City, fhir.Address[0].State, fhir.Address[0].PostalCode, fhir.Address[0].Country));
        Assert.Equal(Created.AddDays(1), fhir.Meta!.LastUpdated);
        FhirValidation.AssertValid(fhir);
    }

    [Theory]
    [InlineData(AdministrativeSex.Male, AdministrativeGender.Male)]
    [InlineData(AdministrativeSex.Female, AdministrativeGender.Female)]
    [InlineData(AdministrativeSex.Other, AdministrativeGender.Other)]
    [InlineData(AdministrativeSex.Unknown, AdministrativeGender.Unknown)]
    public void Sex_maps_to_administrative_gender(AdministrativeSex sex, AdministrativeGender gender) =>
        Assert.Equal(gender, PatientMapper.Gender(sex));

    [Theory]
    [InlineData(AppointmentStatus.Booked, Hl7.Fhir.Model.Appointment.AppointmentStatus.Booked)]
    [InlineData(AppointmentStatus.CheckedIn, Hl7.Fhir.Model.Appointment.AppointmentStatus.Arrived)]
    [InlineData(AppointmentStatus.NoShow, Hl7.Fhir.Model.Appointment.AppointmentStatus.Noshow)]
    [InlineData(AppointmentStatus.Fulfilled, Hl7.Fhir.Model.Appointment.AppointmentStatus.Fulfilled)]
    [InlineData(AppointmentStatus.Cancelled, Hl7.Fhir.Model.Appointment.AppointmentStatus.Cancelled)]
    public void Appointment_status_maps_and_validates(AppointmentStatus status, Hl7.Fhir.Model.Appointment.AppointmentStatus expected)
    {
        var fhir = AppointmentMapper.ToFhir(Native(status, CancellationReasonCode.ClinicianUnavailable), clinicalText: true);

        Assert.Equal(expected, fhir.Status);
        Assert.Equal(["Patient/pat-1", "Practitioner/prv-1"], fhir.Participant.Select(p => p.Actor!.Reference));
        Assert.Equal(Created.AddDays(7), fhir.Start);
        Assert.Equal(Created.AddDays(7).AddMinutes(30), fhir.End);
        Assert.Equal("checkup", fhir.AppointmentType!.Coding[0].Code);
        Assert.Equal("Annual checkup", fhir.ReasonCode.Single().Text);

        // R4's app-4 names "no-show" where the code is "noshow": only a cancelled appointment may carry a reason.
        var hasReason = status is AppointmentStatus.Cancelled;
        Assert.Equal(hasReason, fhir.CancelationReason is not null);
        if (hasReason)
        {
            Assert.Equal((CancellationReasonCodes.FhirSystem, "prov"), (fhir.CancelationReason!.Coding[0].System, fhir.CancelationReason.Coding[0].Code));
            Assert.Equal("Doctor sick", fhir.CancelationReason.Text);
        }

        FhirValidation.AssertValid(fhir);
    }

    [Fact]
    public void Without_clinical_text_the_reason_is_left_out_and_the_resource_is_tagged_subsetted()
    {
        var fhir = AppointmentMapper.ToFhir(Native(AppointmentStatus.Cancelled, CancellationReasonCode.PatientRequest), clinicalText: false);

        Assert.Empty(fhir.ReasonCode);
        Assert.Null(fhir.CancelationReason!.Text);
        Assert.Equal("pat", fhir.CancelationReason.Coding[0].Code);
        Assert.Equal("SUBSETTED", fhir.Meta!.Tag.Single().Code);
        FhirValidation.AssertValid(fhir);
    }

    private static NativeAppointment Native(AppointmentStatus status, CancellationReasonCode code) => new(
        "apt-1", "c-1", "pat-1", "prv-1", "checkup", Created.AddDays(7), Created.AddDays(7).AddMinutes(30), "Annual checkup", status,
        status is AppointmentStatus.Cancelled or AppointmentStatus.NoShow ? "Doctor sick" : null, Created, Created,
        status is AppointmentStatus.Cancelled or AppointmentStatus.NoShow ? code : null);
}
