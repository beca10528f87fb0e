using ClinicCluster.Common;
using ClinicCluster.Scheduling;

namespace ClinicCluster.Grains.Tests;

/// <summary>
/// A booking that dies between holding a slot and storing the appointment leaves a pending hold.
/// These tests place such a hold directly on a provider's calendar and check that it is released
/// once <see cref="SchedulingOptions.PendingHoldTimeout"/> (one minute by default) has passed.
/// Each test moves the shared fake clock forward by just over that timeout.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class PendingHoldTests(ClusterFixture fixture)
{
    private static readonly DateOnly Day = TestClinic.Day(11);
    private static readonly TimeSpan PastTimeout = TimeSpan.FromSeconds(61);

    private readonly IGrainFactory _grains = fixture.GrainFactory;

    [Fact]
    public async Task Orphaned_hold_blocks_the_slot_until_the_timeout_and_is_released_by_the_next_booking()
    {
        var clinic = await TestClinic.CreateAsync(_grains);
        var providerId = await clinic.AddProviderAsync();
        var patientId = await clinic.AddPatientAsync();
        var slot = TestClinic.Local(Day, 10);
        ResultAssert.Success(await clinic.ProviderSchedule(providerId).HoldAsync(Hold("ghost", patientId, providerId, slot)));

        ResultAssert.Failure(await clinic.BookAsync(patientId, providerId, slot), ErrorKind.Conflict, "provider-busy");

        ClusterFixture.Clock.Advance(PastTimeout);
        var booked = ResultAssert.Success(await clinic.BookAsync("appt-1", patientId, providerId, slot));

        var listed = Assert.Single(await clinic.ProviderSchedule(providerId).ListAsync(slot, slot.AddMinutes(1)));
        Assert.Equal(booked.Id, listed.Id);
    }

    [Fact]
    public async Task Pending_hold_of_a_stored_appointment_survives_the_timeout()
    {
        var clinic = await TestClinic.CreateAsync(_grains);
        var providerId = await clinic.AddProviderAsync();
        var patientId = await clinic.AddPatientAsync();
        var other = await clinic.AddPatientAsync();
        var slot = TestClinic.Local(Day, 10);
        ResultAssert.Success(await clinic.BookAsync("appt-1", patientId, providerId, slot));

        // The calendar holds appt-1 again without a record, as if the record step had been lost.
        ResultAssert.Success(await clinic.ProviderSchedule(providerId).HoldAsync(Hold("appt-1", patientId, providerId, slot)));
        ClusterFixture.Clock.Advance(PastTimeout);

        ResultAssert.Failure(await clinic.BookAsync(other, providerId, slot), ErrorKind.Conflict, "provider-busy");
        var listed = Assert.Single(await clinic.ProviderSchedule(providerId).ListAsync(slot, slot.AddMinutes(1)));
        Assert.Equal("appt-1", listed.Id);
    }

    [Fact]
    public async Task Orphaned_hold_is_offered_again_after_the_timeout()
    {
        var clinic = await TestClinic.CreateAsync(_grains);
        var providerId = await clinic.AddProviderAsync();
        var patientId = await clinic.AddPatientAsync();
        var slot = TestClinic.Local(Day, 10);
        var schedule = clinic.ProviderSchedule(providerId);
        ResultAssert.Success(await schedule.HoldAsync(Hold("ghost", patientId, providerId, slot)));
        var whileHeld = ResultAssert.Success(await schedule.GetAvailabilityAsync(Day, Day, TestClinic.Checkup));
        Assert.DoesNotContain(slot, whileHeld.Select(s => s.Start));

        ClusterFixture.Clock.Advance(PastTimeout);

        // The hold belongs to no stored appointment and is past the timeout, so the slot is free
        // (booking it succeeds); availability should say so too, or nobody will ever be offered it.
        var afterTimeout = ResultAssert.Success(await schedule.GetAvailabilityAsync(Day, Day, TestClinic.Checkup));
        Assert.Contains(slot, afterTimeout.Select(s => s.Start));
    }

    private static SlotHold Hold(string appointmentId, string patientId, string providerId, DateTimeOffset start)
    {
        var end = start.AddMinutes(TestClinic.CheckupMinutes);
        var summary = new AppointmentSummary(appointmentId, patientId, providerId, TestClinic.Checkup, start, end, AppointmentStatus.Booked);
        return new SlotHold(summary, end.AddMinutes(TestClinic.CheckupBufferMinutes));
    }
}
