using ClinicCluster.Common;
using ClinicCluster.Scheduling;

namespace ClinicCluster.Grains.Tests;

/// <summary>What a booking reads before it holds anything: the patient, the clinic's visit type and policy.</summary>
[Collection(ClusterCollection.Name)]
public sealed class SchedulingContextReaderTests(ClusterFixture fixture)
{
    private readonly IGrainFactory _grains = fixture.GrainFactory;

    [Fact]
    public async Task A_booking_reads_the_visit_type_zone_and_policy_of_its_clinic()
    {
        var clinic = await TestClinic.CreateAsync(_grains);
        var reader = new SchedulingContextReader(_grains, clinic.Id);
        var command = new BookAppointment(await clinic.AddPatientAsync(), await clinic.AddProviderAsync(), TestClinic.Checkup, TestClinic.Local(TestClinic.Day(3), 10));

        var context = ResultAssert.Success(await reader.ForBookingAsync(command, ClusterFixture.Clock.GetUtcNow()));

        Assert.Equal((TestClinic.TimeZone, TestClinic.CheckupMinutes, TestClinic.CheckupBufferMinutes),
            (context.TimeZone, context.Type.DurationMinutes, context.Type.BufferMinutes));
    }

    [Fact]
    public async Task An_unknown_patient_or_provider_and_a_start_outside_the_window_are_refused()
    {
        var clinic = await TestClinic.CreateAsync(_grains);
        var reader = new SchedulingContextReader(_grains, clinic.Id);
        var patientId = await clinic.AddPatientAsync();
        var providerId = await clinic.AddProviderAsync();
        var now = ClusterFixture.Clock.GetUtcNow();
        var start = TestClinic.Local(TestClinic.Day(3), 10);

        var noPatient = ResultAssert.Failure(await reader.ForBookingAsync(new BookAppointment("pat-none", providerId, TestClinic.Checkup, start), now), ErrorKind.NotFound);
        var noProvider = ResultAssert.Failure(await reader.ForBookingAsync(new BookAppointment(patientId, "prv-none", TestClinic.Checkup, start), now), ErrorKind.NotFound);
        var tooSoon = ResultAssert.Failure(await reader.ForBookingAsync(new BookAppointment(patientId, providerId, TestClinic.Checkup, now.AddMinutes(5)), now), ErrorKind.Validation);

        Assert.Contains("Patient", noPatient.Message, StringComparison.Ordinal);
        Assert.Contains("Provider", noProvider.Message, StringComparison.Ordinal);
        Assert.Equal(["start"], tooSoon.Fields!.Keys);
    }
}
