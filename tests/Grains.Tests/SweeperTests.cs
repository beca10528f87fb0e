using ClinicCluster.Clinics;
using ClinicCluster.Scheduling;

namespace ClinicCluster.Grains.Tests;

/// <summary>
/// The clinic's sweeper (decision 0007): a missed visit becomes a no-show once it ended more than
/// NoShowAfter (30 min) ago, and a visit within DueSoonBefore (24 h) gets its notice exactly once.
/// Moves the shared clock about an hour past a slot booked minutes ahead.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class SweeperTests(ClusterFixture fixture)
{
    [Fact]
    public async Task A_missed_visit_becomes_a_no_show_and_a_due_visit_gets_one_notice()
    {
        var clinic = await TestClinic.CreateAsync(fixture.GrainFactory, BookingPolicy.Default with { MinimumNoticeMinutes = 0, CancellationCutoffMinutes = 0 });
        var providerId = await clinic.AddProviderAsync(new TimeOnly(0, 0), new TimeOnly(23, 45));
        var now = ClusterFixture.Clock.GetUtcNow();
        var start = TestClinic.NextQuarterHour(now.AddMinutes(1));
        var missed = ResultAssert.Success(await clinic.BookAsync(await clinic.AddPatientAsync(), providerId, start));
        var later = ResultAssert.Success(await clinic.BookAsync(await clinic.AddPatientAsync(), providerId, start.AddHours(5)));
        var sweeper = fixture.GrainFactory.GetGrain<IAppointmentSweeperGrain>(clinic.Id);

        // Both are due within 24 hours: one notice each, and only once.
        Assert.Equal(new SweepResult(NoShows: 0, DueSoonNotices: 2), await sweeper.SweepAsync());
        Assert.Equal(new SweepResult(0, 0), await sweeper.SweepAsync());

        ClusterFixture.Clock.Advance(start.AddMinutes(TestClinic.CheckupMinutes + 31) - now);

        Assert.Equal(new SweepResult(NoShows: 1, DueSoonNotices: 0), await sweeper.SweepAsync());
        Assert.Equal(AppointmentStatus.NoShow, (await clinic.Appointment(missed.Id).GetAsync())!.Status);
        Assert.Equal(AppointmentStatus.Booked, (await clinic.Appointment(later.Id).GetAsync())!.Status);
        Assert.Equal(new SweepResult(0, 0), await sweeper.SweepAsync());
    }
}
