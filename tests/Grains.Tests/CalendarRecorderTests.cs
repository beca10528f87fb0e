using ClinicCluster.Scheduling;
using ClinicCluster.Testing.Faults;

namespace ClinicCluster.Grains.Tests;

/// <summary>
/// A booking whose calendars could not be told what it committed still succeeds; the appointment
/// tells them again after <see cref="SchedulingOptions.RecordRetryDelay"/> (2 s by default, on the
/// cluster's fake clock).
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class CalendarRecorderTests(ClusterFixture fixture)
{
    [Fact]
    public async Task A_lost_record_is_sent_again_after_the_retry_delay()
    {
        var clinic = await TestClinic.CreateAsync(fixture.GrainFactory);
        var providerId = await clinic.AddProviderAsync();
        var patientId = await clinic.AddPatientAsync();
        var appointmentId = TestClinic.NewId("appt");
        ClusterFixture.Faults.Arm(SchedulingOperation.Book, FaultStep.RecordProvider, FaultKind.Throw, appointmentId);

        ResultAssert.Success(await clinic.BookAsync(appointmentId, patientId, providerId, TestClinic.Local(TestClinic.Day(13), 10)));
        Assert.False(await RecordedAsync());

        // The timer fires on the fake clock; its tick then runs on the grain's scheduler.
        ClusterFixture.Clock.Advance(TimeSpan.FromSeconds(2));
        for (var wait = 0; wait < 100 && !await RecordedAsync(); wait++)
        {
            await Task.Delay(50);
        }

        Assert.True(await RecordedAsync());

        async Task<bool> RecordedAsync() =>
            (await clinic.ProviderSchedule(providerId).GetBlocksAsync()).Single(b => b.AppointmentId == appointmentId).Recorded;
    }
}
