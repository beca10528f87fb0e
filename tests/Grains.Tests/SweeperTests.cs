using ClinicCluster.Clinics;
using ClinicCluster.Scheduling;

namespace ClinicCluster.Grains.Tests;

/// <summary>
/// The clinic's sweeper (decisions 0007 and 0025): a missed visit becomes a no-show once its
/// check-in closed (the end plus the clinic policy's checkInGraceMinutes, 30 by default), a visit
/// within DueSoonBefore (24 h) gets its notice exactly once, and a checked-in visit left open after
/// its clinic day is flagged. Moves the shared clock about an hour past a slot booked minutes ahead.
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

    [Fact]
    public async Task The_sweeper_waits_for_the_clinic_policy_grace_not_a_silo_setting()
    {
        var clinic = await TestClinic.CreateAsync(fixture.GrainFactory, BookingPolicy.Default with { CheckInGraceMinutes = 90 });
        var providerId = await clinic.AddProviderAsync(new TimeOnly(0, 0), new TimeOnly(23, 45));
        var now = ClusterFixture.Clock.GetUtcNow();
        // Ended an hour ago: past the default grace (30 min), inside this clinic's (90 min).
        var waiting = await clinic.SeedAsync(await clinic.AddPatientAsync(), providerId, now.AddMinutes(-90), AppointmentStatus.Booked);
        // Ended two hours ago: past both.
        var missed = await clinic.SeedAsync(await clinic.AddPatientAsync(), providerId, now.AddMinutes(-150), AppointmentStatus.Booked);
        var sweeper = fixture.GrainFactory.GetGrain<IAppointmentSweeperGrain>(clinic.Id);

        Assert.Equal(new SweepResult(NoShows: 1, DueSoonNotices: 0), await sweeper.SweepAsync());

        Assert.Equal(AppointmentStatus.Booked, (await clinic.Appointment(waiting).GetAsync())!.Status);
        Assert.Equal(AppointmentStatus.NoShow, (await clinic.Appointment(missed).GetAsync())!.Status);
    }

    [Fact]
    public async Task A_checked_in_visit_left_open_after_its_clinic_day_is_flagged_until_someone_closes_it()
    {
        var clinic = await TestClinic.CreateAsync(fixture.GrainFactory);
        var providerId = await clinic.AddProviderAsync(new TimeOnly(0, 0), new TimeOnly(23, 45));
        var now = ClusterFixture.Clock.GetUtcNow();
        var yesterday = await clinic.SeedAsync(await clinic.AddPatientAsync(), providerId, now.AddDays(-1), AppointmentStatus.CheckedIn);
        // Earlier today in New York (the clock is on a summer morning there): its clinic day has not ended.
        await clinic.SeedAsync(await clinic.AddPatientAsync(), providerId, now.AddMinutes(-45), AppointmentStatus.CheckedIn);
        var sweeper = fixture.GrainFactory.GetGrain<IAppointmentSweeperGrain>(clinic.Id);

        Assert.Equal(1, (await sweeper.SweepAsync()).Unclosed);
        Assert.Equal(1, (await sweeper.SweepAsync()).Unclosed);
        Assert.Equal(AppointmentStatus.CheckedIn, (await clinic.Appointment(yesterday).GetAsync())!.Status);

        ResultAssert.Success(await clinic.Appointment(yesterday).ChangeStatusAsync(AppointmentStatus.Fulfilled));

        Assert.Equal(0, (await sweeper.SweepAsync()).Unclosed);
    }
}
