using ClinicCluster.Common;
using ClinicCluster.Scheduling;

namespace ClinicCluster.Grains.Tests;

[Collection(ClusterCollection.Name)]
public sealed class AvailabilityTests(ClusterFixture fixture)
{
    private static readonly DateOnly Day = TestClinic.Day(10);

    private readonly IGrainFactory _grains = fixture.GrainFactory;

    [Fact]
    public async Task Free_day_offers_every_quarter_hour_that_fits_in_working_hours()
    {
        var clinic = await TestClinic.CreateAsync(_grains);
        var providerId = await clinic.AddProviderAsync();

        var slots = ResultAssert.Success(await clinic.ProviderSchedule(providerId).GetAvailabilityAsync(Day, Day, TestClinic.Checkup));

        // 09:00, 09:15, ..., 16:30: the last 30-minute visit ends at 17:00.
        var expected = Enumerable.Range(0, 31).Select(i => TestClinic.Local(Day, 9).AddMinutes(15 * i)).ToArray();
        Assert.Equal(expected, slots.Select(s => s.Start));
        Assert.All(slots, slot =>
        {
            Assert.Equal(TimeSpan.FromHours(-4), slot.Start.Offset);
            Assert.Equal(TimeSpan.FromHours(-4), slot.End.Offset);
            Assert.Equal(slot.Start.AddMinutes(30), slot.End);
        });
    }

    [Fact]
    public async Task Booked_visit_and_its_buffer_are_not_offered()
    {
        var clinic = await TestClinic.CreateAsync(_grains);
        var providerId = await clinic.AddProviderAsync();
        var patientId = await clinic.AddPatientAsync();
        ResultAssert.Success(await clinic.BookAsync(patientId, providerId, TestClinic.Local(Day, 10)));

        var slots = ResultAssert.Success(await clinic.ProviderSchedule(providerId).GetAvailabilityAsync(Day, Day, TestClinic.Checkup));

        var starts = slots.Select(s => (s.Start.Hour, s.Start.Minute)).ToHashSet();
        // 10:00-10:30 blocks the provider until 10:40; a visit from 09:30 would need its buffer until 10:10.
        Assert.DoesNotContain((9, 30), starts);
        Assert.DoesNotContain((9, 45), starts);
        Assert.DoesNotContain((10, 0), starts);
        Assert.DoesNotContain((10, 15), starts);
        Assert.DoesNotContain((10, 30), starts);
        Assert.Contains((9, 15), starts);
        Assert.Contains((10, 45), starts);
        Assert.Equal(31 - 5, slots.Count);

        // Every offered slot can really be booked, and the refused ones really are refused.
        var other = await clinic.AddPatientAsync();
        ResultAssert.Failure(await clinic.BookAsync(other, providerId, TestClinic.Local(Day, 9, 30)), ErrorKind.Conflict, "provider-busy");
        ResultAssert.Success(await clinic.BookAsync(other, providerId, TestClinic.Local(Day, 10, 45)));
    }

    [Fact]
    public async Task Cancelled_visit_is_offered_again()
    {
        var clinic = await TestClinic.CreateAsync(_grains);
        var providerId = await clinic.AddProviderAsync();
        var patientId = await clinic.AddPatientAsync();
        ResultAssert.Success(await clinic.BookAsync("appt-1", patientId, providerId, TestClinic.Local(Day, 10)));
        ResultAssert.Success(await clinic.Appointment("appt-1").CancelAsync(null, null));

        var slots = ResultAssert.Success(await clinic.ProviderSchedule(providerId).GetAvailabilityAsync(Day, Day, TestClinic.Checkup));

        Assert.Equal(31, slots.Count);
    }

    [Fact]
    public async Task Time_off_is_not_offered()
    {
        var clinic = await TestClinic.CreateAsync(_grains);
        var off = new Clinics.TimeOff(TestClinic.Local(Day, 9), TestClinic.Local(Day, 13));
        var providerId = await clinic.AddProviderAsync(timeOff: off);

        var slots = ResultAssert.Success(await clinic.ProviderSchedule(providerId).GetAvailabilityAsync(Day, Day, TestClinic.Checkup));

        Assert.Equal(TestClinic.Local(Day, 13), slots[0].Start);
        Assert.Equal(15, slots.Count); // 13:00 ... 16:30
    }

    [Fact]
    public async Task Today_starts_after_the_minimum_notice()
    {
        var clinic = await TestClinic.CreateAsync(_grains);
        var providerId = await clinic.AddProviderAsync();
        var now = ClusterFixture.Clock.GetUtcNow();
        var today = TestClinic.Day(0);

        var slots = ResultAssert.Success(await clinic.ProviderSchedule(providerId).GetAvailabilityAsync(today, today, TestClinic.Checkup));

        Assert.NotEmpty(slots);
        Assert.Equal(TestClinic.NextQuarterHour(now.AddMinutes(120)), slots[0].Start);
        Assert.Equal(TestClinic.Local(today, 16, 30), slots[^1].Start);
    }

    [Fact]
    public async Task Several_days_are_listed_in_order()
    {
        var clinic = await TestClinic.CreateAsync(_grains);
        var providerId = await clinic.AddProviderAsync();

        var slots = ResultAssert.Success(
            await clinic.ProviderSchedule(providerId).GetAvailabilityAsync(Day, Day.AddDays(2), TestClinic.Checkup));

        Assert.Equal(3 * 31, slots.Count);
        Assert.Equal(slots.Select(s => s.Start).Order(), slots.Select(s => s.Start));
        Assert.Equal(TestClinic.Local(Day.AddDays(2), 16, 30), slots[^1].Start);
    }

    [Fact]
    public async Task Range_ending_before_it_starts_is_a_validation_error()
    {
        var clinic = await TestClinic.CreateAsync(_grains);
        var providerId = await clinic.AddProviderAsync();

        var result = await clinic.ProviderSchedule(providerId).GetAvailabilityAsync(Day, Day.AddDays(-1), TestClinic.Checkup);

        Assert.Equal(new[] { "to" }, ResultAssert.Failure(result, ErrorKind.Validation).Fields!.Keys);
    }

    [Fact]
    public async Task Range_longer_than_31_days_is_a_validation_error()
    {
        var clinic = await TestClinic.CreateAsync(_grains);
        var providerId = await clinic.AddProviderAsync();
        var schedule = clinic.ProviderSchedule(providerId);

        var tooLong = await schedule.GetAvailabilityAsync(Day, Day.AddDays(31), TestClinic.Checkup);
        var longest = await schedule.GetAvailabilityAsync(Day, Day.AddDays(30), TestClinic.Checkup);

        Assert.Equal(new[] { "to" }, ResultAssert.Failure(tooLong, ErrorKind.Validation).Fields!.Keys);
        Assert.Equal(31 * 31, ResultAssert.Success(longest).Count);
    }

    [Fact]
    public async Task Unknown_appointment_type_is_a_validation_error()
    {
        var clinic = await TestClinic.CreateAsync(_grains);
        var providerId = await clinic.AddProviderAsync();

        var result = await clinic.ProviderSchedule(providerId).GetAvailabilityAsync(Day, Day, "surgery");

        ResultAssert.Failure(result, ErrorKind.Validation);
    }

    [Fact]
    public async Task Unknown_provider_is_not_found()
    {
        var clinic = await TestClinic.CreateAsync(_grains);

        var result = await clinic.ProviderSchedule("nobody").GetAvailabilityAsync(Day, Day, TestClinic.Checkup);

        ResultAssert.Failure(result, ErrorKind.NotFound);
    }

    [Fact]
    public async Task Days_beyond_the_horizon_offer_nothing()
    {
        var clinic = await TestClinic.CreateAsync(_grains);
        var providerId = await clinic.AddProviderAsync();
        var far = TestClinic.Day(95);

        var slots = ResultAssert.Success(await clinic.ProviderSchedule(providerId).GetAvailabilityAsync(far, far, TestClinic.Checkup));

        Assert.Empty(slots);
    }
}
