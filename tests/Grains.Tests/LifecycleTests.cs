using System.Globalization;
using ClinicCluster.Clinics;
using ClinicCluster.Common;
using ClinicCluster.Scheduling;

namespace ClinicCluster.Grains.Tests;

[Collection(ClusterCollection.Name)]
public sealed class LifecycleTests(ClusterFixture fixture)
{
    // Tuesday 2026-06-09: more than a week ahead, so the cancellation cutoff never applies.
    private static readonly DateOnly Day = TestClinic.Day(8);

    private readonly IGrainFactory _grains = fixture.GrainFactory;

    [Fact]
    public async Task Reschedule_moves_the_visit_and_frees_the_old_slot()
    {
        var clinic = await TestClinic.CreateAsync(_grains);
        var providerId = await clinic.AddProviderAsync();
        var patientId = await clinic.AddPatientAsync();
        var other = await clinic.AddPatientAsync();
        var (oldStart, newStart) = (TestClinic.Local(Day, 10), TestClinic.Local(Day, 14));
        var booked = ResultAssert.Success(await clinic.BookAsync("appt-1", patientId, providerId, oldStart));

        var moved = ResultAssert.Success(await clinic.Appointment("appt-1").RescheduleAsync(newStart.ToUniversalTime()));

        Assert.Equal(newStart, moved.Start);
        Assert.Equal(TimeSpan.FromHours(-4), moved.Start.Offset);
        Assert.Equal(newStart.AddMinutes(30), moved.End);
        Assert.Equal(AppointmentStatus.Booked, moved.Status);
        Assert.Equal(booked.CreatedAt, moved.CreatedAt);
        Assert.Equal(moved, await clinic.Appointment("appt-1").GetAsync());

        var (dayStart, dayEnd) = (TestClinic.Local(Day, 0), TestClinic.Local(Day.AddDays(1), 0));
        var providerList = Assert.Single(await clinic.ProviderSchedule(providerId).ListAsync(dayStart, dayEnd));
        Assert.Equal(("appt-1", newStart), (providerList.Id, providerList.Start));
        var patientList = Assert.Single(await clinic.PatientSchedule(patientId).ListAsync(dayStart, dayEnd));
        Assert.Equal(newStart, patientList.Start);

        ResultAssert.Success(await clinic.BookAsync("appt-2", other, providerId, oldStart));
        ResultAssert.Failure(await clinic.BookAsync("appt-3", other, providerId, newStart.AddMinutes(-15)), ErrorKind.Conflict);
    }

    [Fact]
    public async Task Reschedule_may_overlap_the_visits_own_old_time()
    {
        var clinic = await TestClinic.CreateAsync(_grains);
        var providerId = await clinic.AddProviderAsync();
        var patientId = await clinic.AddPatientAsync();
        ResultAssert.Success(await clinic.BookAsync("appt-1", patientId, providerId, TestClinic.Local(Day, 10)));

        var moved = ResultAssert.Success(await clinic.Appointment("appt-1").RescheduleAsync(TestClinic.Local(Day, 10, 15)));

        Assert.Equal(TestClinic.Local(Day, 10, 15), moved.Start);
        var listed = Assert.Single(await clinic.ProviderSchedule(providerId).ListAsync(TestClinic.Local(Day, 0), TestClinic.Local(Day, 23)));
        Assert.Equal(TestClinic.Local(Day, 10, 15), listed.Start);
    }

    [Fact]
    public async Task Reschedule_onto_a_busy_slot_is_refused_and_keeps_the_old_time()
    {
        var clinic = await TestClinic.CreateAsync(_grains);
        var providerId = await clinic.AddProviderAsync();
        var patientId = await clinic.AddPatientAsync();
        var other = await clinic.AddPatientAsync();
        var oldStart = TestClinic.Local(Day, 10);
        var busyStart = TestClinic.Local(Day, 14);
        var booked = ResultAssert.Success(await clinic.BookAsync("appt-1", patientId, providerId, oldStart));
        ResultAssert.Success(await clinic.BookAsync("appt-2", other, providerId, busyStart));

        var result = await clinic.Appointment("appt-1").RescheduleAsync(busyStart.AddMinutes(15));

        ResultAssert.Failure(result, ErrorKind.Conflict, "provider-busy");
        Assert.Equal(booked, await clinic.Appointment("appt-1").GetAsync());
        var listed = await clinic.ProviderSchedule(providerId).ListAsync(TestClinic.Local(Day, 0), TestClinic.Local(Day, 23));
        Assert.Equal(new[] { ("appt-1", oldStart), ("appt-2", busyStart) }, listed.Select(a => (a.Id, a.Start)));

        // The refused move left nothing held: the patient is still free at the refused time with another provider.
        var otherProvider = await clinic.AddProviderAsync();
        ResultAssert.Success(await clinic.BookAsync(patientId, otherProvider, busyStart.AddMinutes(15)));
    }

    [Fact]
    public async Task Reschedule_that_makes_the_patient_double_booked_is_refused_and_releases_the_provider()
    {
        var clinic = await TestClinic.CreateAsync(_grains);
        var providerA = await clinic.AddProviderAsync();
        var providerB = await clinic.AddProviderAsync();
        var patientId = await clinic.AddPatientAsync();
        var other = await clinic.AddPatientAsync();
        var booked = ResultAssert.Success(await clinic.BookAsync("appt-1", patientId, providerA, TestClinic.Local(Day, 10)));
        ResultAssert.Success(await clinic.BookAsync("appt-2", patientId, providerB, TestClinic.Local(Day, 14)));

        var result = await clinic.Appointment("appt-1").RescheduleAsync(TestClinic.Local(Day, 14));

        ResultAssert.Failure(result, ErrorKind.Conflict, "patient-busy");
        Assert.Equal(booked, await clinic.Appointment("appt-1").GetAsync());
        ResultAssert.Success(await clinic.BookAsync(other, providerA, TestClinic.Local(Day, 14)));
    }

    [Fact]
    public async Task Reschedule_outside_working_hours_or_too_soon_is_refused()
    {
        var clinic = await TestClinic.CreateAsync(_grains);
        var providerId = await clinic.AddProviderAsync();
        var patientId = await clinic.AddPatientAsync();
        var booked = ResultAssert.Success(await clinic.BookAsync("appt-1", patientId, providerId, TestClinic.Local(Day, 10)));
        var grain = clinic.Appointment("appt-1");

        ResultAssert.Failure(await grain.RescheduleAsync(TestClinic.Local(Day, 18)), ErrorKind.Conflict, "outside-working-hours");
        ResultAssert.Failure(await grain.RescheduleAsync(ClusterFixture.Clock.GetUtcNow().AddMinutes(30)), ErrorKind.Validation);
        Assert.Equal(booked, await grain.GetAsync());
    }

    [Fact]
    public async Task Unknown_appointment_cannot_be_rescheduled_cancelled_or_changed()
    {
        var clinic = await TestClinic.CreateAsync(_grains);
        var grain = clinic.Appointment("nothing");

        ResultAssert.Failure(await grain.RescheduleAsync(TestClinic.Local(Day, 10)), ErrorKind.NotFound);
        ResultAssert.Failure(await grain.CancelAsync(null, null), ErrorKind.NotFound);
        ResultAssert.Failure(await grain.ChangeStatusAsync(AppointmentStatus.CheckedIn), ErrorKind.NotFound);
    }

    [Fact]
    public async Task Cancel_frees_the_slot()
    {
        var clinic = await TestClinic.CreateAsync(_grains);
        var providerId = await clinic.AddProviderAsync();
        var patientId = await clinic.AddPatientAsync();
        var other = await clinic.AddPatientAsync();
        var slot = TestClinic.Local(Day, 10);
        ResultAssert.Success(await clinic.BookAsync("appt-1", patientId, providerId, slot));

        var cancelled = ResultAssert.Success(await clinic.Appointment("appt-1").CancelAsync("Patient is travelling", null));

        Assert.Equal(AppointmentStatus.Cancelled, cancelled.Status);
        Assert.Equal("Patient is travelling", cancelled.CancellationReason);
        Assert.Equal(cancelled, await clinic.Appointment("appt-1").GetAsync());
        ResultAssert.Success(await clinic.BookAsync("appt-2", other, providerId, slot));
        ResultAssert.Success(await clinic.BookAsync("appt-3", patientId, await clinic.AddProviderAsync(), slot));

        var listed = await clinic.ProviderSchedule(providerId).ListAsync(slot, slot.AddMinutes(1));
        Assert.Equal(
            new[] { ("appt-1", AppointmentStatus.Cancelled), ("appt-2", AppointmentStatus.Booked) },
            listed.Select(a => (a.Id, a.Status)).OrderBy(a => a.Id, StringComparer.Ordinal));
    }

    [Fact]
    public async Task Cancel_within_the_cutoff_is_refused()
    {
        var clinic = await TestClinic.CreateAsync(_grains);
        var providerId = await clinic.AddProviderAsync();
        var patientId = await clinic.AddPatientAsync();
        var start = TestClinic.NextQuarterHour(ClusterFixture.Clock.GetUtcNow().AddHours(3));
        ResultAssert.Success(await clinic.BookAsync("appt-1", patientId, providerId, start));

        var result = await clinic.Appointment("appt-1").CancelAsync("Too late", null);

        ResultAssert.Failure(result, ErrorKind.Conflict, "cancellation-cutoff");
        Assert.Equal(AppointmentStatus.Booked, (await clinic.Appointment("appt-1").GetAsync())!.Status);
    }

    [Fact]
    public async Task Checked_in_visit_can_be_cancelled_within_the_cutoff_with_a_reason_code()
    {
        // Check-in opens four hours ahead here, so the visit three hours ahead can be checked in.
        var clinic = await TestClinic.CreateAsync(_grains, BookingPolicy.Default with { CheckInOpensMinutes = 240 });
        var providerId = await clinic.AddProviderAsync();
        var patientId = await clinic.AddPatientAsync();
        var start = TestClinic.NextQuarterHour(ClusterFixture.Clock.GetUtcNow().AddHours(3));
        ResultAssert.Success(await clinic.BookAsync("appt-1", patientId, providerId, start));
        ResultAssert.Success(await clinic.Appointment("appt-1").ChangeStatusAsync(AppointmentStatus.CheckedIn));

        var uncoded = await clinic.Appointment("appt-1").CancelAsync("Left early", null);
        var cancelled = await clinic.Appointment("appt-1").CancelAsync("Left early", CancellationReasonCode.PatientLeft);

        Assert.Equal(["reasonCode"], ResultAssert.Failure(uncoded, ErrorKind.Validation).Fields!.Keys);
        Assert.Equal((AppointmentStatus.Cancelled, CancellationReasonCode.PatientLeft),
            (ResultAssert.Success(cancelled).Status, ResultAssert.Success(cancelled).CancellationCode));
        Assert.Equal(CancellationReasonCode.PatientLeft, (await clinic.Appointment("appt-1").GetAsync())!.CancellationCode);
    }

    [Fact]
    public async Task Check_in_then_complete_fulfils_the_visit_once_it_has_started()
    {
        var (clinic, providerId, grain, start) = await BookSoonAsync();

        var checkedIn = ResultAssert.Success(await grain.ChangeStatusAsync(AppointmentStatus.CheckedIn));
        Assert.Equal(AppointmentStatus.CheckedIn, checkedIn.Status);
        var early = ResultAssert.Failure(await grain.ChangeStatusAsync(AppointmentStatus.Fulfilled), ErrorKind.Conflict, "not-started");
        Assert.Contains(start.ToOffset(TestClinic.Edt).ToString("yyyy-MM-dd HH:mm zzz", CultureInfo.InvariantCulture) + " America/New_York",
            early.Message, StringComparison.Ordinal);
        TestClinic.AdvanceClockTo(start);
        var fulfilled = ResultAssert.Success(await grain.ChangeStatusAsync(AppointmentStatus.Fulfilled));

        Assert.Equal(AppointmentStatus.Fulfilled, fulfilled.Status);
        Assert.Equal(AppointmentStatus.Fulfilled, (await grain.GetAsync())!.Status);
        var listed = Assert.Single(await clinic.ProviderSchedule(providerId).ListAsync(start.AddHours(-1), start.AddHours(1)));
        Assert.Equal(AppointmentStatus.Fulfilled, listed.Status);
    }

    [Fact]
    public async Task Check_in_of_a_visit_days_ahead_is_refused_with_when_it_opens_in_the_clinic_zone()
    {
        var clinic = await TestClinic.CreateAsync(_grains);
        var providerId = await clinic.AddProviderAsync();
        var patientId = await clinic.AddPatientAsync();
        ResultAssert.Success(await clinic.BookAsync("appt-1", patientId, providerId, TestClinic.Local(Day, 10)));

        var refused = ResultAssert.Failure(await clinic.Appointment("appt-1").ChangeStatusAsync(AppointmentStatus.CheckedIn),
            ErrorKind.Conflict, "check-in-not-open");

        Assert.Contains($"{Day:yyyy-MM-dd} 08:00 -04:00 America/New_York", refused.Message, StringComparison.Ordinal);
        Assert.Equal(AppointmentStatus.Booked, (await clinic.Appointment("appt-1").GetAsync())!.Status);
    }

    [Fact]
    public async Task Check_in_after_it_closed_is_refused_and_the_visit_can_be_marked_a_no_show()
    {
        var clinic = await TestClinic.CreateAsync(_grains);
        var providerId = await clinic.AddProviderAsync(new TimeOnly(0, 0), new TimeOnly(23, 45));
        var start = TestClinic.NextQuarterHour(ClusterFixture.Clock.GetUtcNow().AddHours(-3));
        var id = await clinic.SeedAsync(await clinic.AddPatientAsync(), providerId, start, AppointmentStatus.Booked);
        var grain = clinic.Appointment(id);

        var refused = ResultAssert.Failure(await grain.ChangeStatusAsync(AppointmentStatus.CheckedIn), ErrorKind.Conflict, "check-in-closed");

        var closed = start.AddMinutes(TestClinic.CheckupMinutes + BookingPolicy.DefaultCheckInGraceMinutes).ToOffset(TestClinic.Edt);
        Assert.Contains(closed.ToString("yyyy-MM-dd HH:mm zzz", CultureInfo.InvariantCulture), refused.Message, StringComparison.Ordinal);
        Assert.Equal(AppointmentStatus.NoShow, ResultAssert.Success(await grain.ChangeStatusAsync(AppointmentStatus.NoShow)).Status);
    }

    [Fact]
    public async Task Completing_a_visit_that_was_not_checked_in_is_an_invalid_transition()
    {
        var clinic = await TestClinic.CreateAsync(_grains);
        var providerId = await clinic.AddProviderAsync();
        var patientId = await clinic.AddPatientAsync();
        ResultAssert.Success(await clinic.BookAsync("appt-1", patientId, providerId, TestClinic.Local(Day, 10)));

        var result = await clinic.Appointment("appt-1").ChangeStatusAsync(AppointmentStatus.Fulfilled);

        ResultAssert.Failure(result, ErrorKind.InvalidTransition, "invalid-transition");
        Assert.Equal(AppointmentStatus.Booked, (await clinic.Appointment("appt-1").GetAsync())!.Status);
    }

    [Fact]
    public async Task Fulfilled_visit_cannot_be_cancelled_or_rescheduled()
    {
        var (_, _, grain, start) = await BookSoonAsync();
        ResultAssert.Success(await grain.ChangeStatusAsync(AppointmentStatus.CheckedIn));
        TestClinic.AdvanceClockTo(start);
        ResultAssert.Success(await grain.ChangeStatusAsync(AppointmentStatus.Fulfilled));

        ResultAssert.Failure(await grain.CancelAsync(null, CancellationReasonCode.Other), ErrorKind.InvalidTransition, "invalid-transition");
        ResultAssert.Failure(await grain.RescheduleAsync(TestClinic.Local(Day, 12)), ErrorKind.InvalidTransition);
        ResultAssert.Failure(await grain.ChangeStatusAsync(AppointmentStatus.CheckedIn), ErrorKind.InvalidTransition);
        Assert.Equal(AppointmentStatus.Fulfilled, (await grain.GetAsync())!.Status);
    }

    [Fact]
    public async Task Cancelled_visit_cannot_be_checked_in_or_moved_and_a_repeated_cancel_is_a_no_op()
    {
        var clinic = await TestClinic.CreateAsync(_grains);
        var providerId = await clinic.AddProviderAsync();
        var patientId = await clinic.AddPatientAsync();
        ResultAssert.Success(await clinic.BookAsync("appt-1", patientId, providerId, TestClinic.Local(Day, 10)));
        var grain = clinic.Appointment("appt-1");
        ResultAssert.Success(await grain.CancelAsync(null, null));

        ResultAssert.Failure(await grain.ChangeStatusAsync(AppointmentStatus.CheckedIn), ErrorKind.InvalidTransition);
        Assert.Equal(AppointmentStatus.Cancelled, ResultAssert.Success(await grain.CancelAsync(null, null)).Status);
        ResultAssert.Failure(await grain.RescheduleAsync(TestClinic.Local(Day, 12)), ErrorKind.InvalidTransition);
    }

    [Theory]
    [InlineData(AppointmentStatus.Booked)]
    [InlineData(AppointmentStatus.Cancelled)]
    public async Task Status_change_to_booked_or_cancelled_is_a_validation_error(AppointmentStatus target)
    {
        var clinic = await TestClinic.CreateAsync(_grains);
        var providerId = await clinic.AddProviderAsync();
        var patientId = await clinic.AddPatientAsync();
        ResultAssert.Success(await clinic.BookAsync("appt-1", patientId, providerId, TestClinic.Local(Day, 10)));

        var result = await clinic.Appointment("appt-1").ChangeStatusAsync(target);

        Assert.Equal(new[] { "status" }, ResultAssert.Failure(result, ErrorKind.Validation).Fields!.Keys);
    }

    /// <summary>
    /// Moves the shared clock (forward only) about 16 minutes past a slot booked at most 16 minutes
    /// ahead in a clinic without minimum notice; other tests book days ahead or relative to the
    /// current fake time, and seed visits that started hours ago straight into the ledger.
    /// </summary>
    [Fact]
    public async Task No_show_is_refused_before_the_start_plus_its_grace_and_accepted_after_it()
    {
        var clinic = await TestClinic.CreateAsync(_grains, BookingPolicy.Default with { MinimumNoticeMinutes = 0 });
        var providerId = await clinic.AddProviderAsync(new TimeOnly(0, 0), new TimeOnly(23, 45));
        var patientId = await clinic.AddPatientAsync();
        var now = ClusterFixture.Clock.GetUtcNow();
        var start = TestClinic.NextQuarterHour(now.AddMinutes(1));
        ResultAssert.Success(await clinic.BookAsync("appt-1", patientId, providerId, start));
        var grain = clinic.Appointment("appt-1");

        ResultAssert.Failure(await grain.ChangeStatusAsync(AppointmentStatus.NoShow), ErrorKind.Conflict, "not-started");
        Assert.Equal(AppointmentStatus.Booked, (await grain.GetAsync())!.Status);

        TestClinic.AdvanceClockTo(start.AddMinutes(1));
        var inGrace = ResultAssert.Failure(await grain.ChangeStatusAsync(AppointmentStatus.NoShow), ErrorKind.Conflict, "not-started");
        Assert.Contains("minutes after its start", inGrace.Message, StringComparison.Ordinal);
        TestClinic.AdvanceClockTo(start.AddMinutes(BookingPolicy.DefaultNoShowGraceMinutes));

        var noShow = ResultAssert.Success(await grain.ChangeStatusAsync(AppointmentStatus.NoShow));
        Assert.Equal(AppointmentStatus.NoShow, noShow.Status);
        Assert.Equal(ClusterFixture.Clock.GetUtcNow(), noShow.UpdatedAt);
        ResultAssert.Failure(await grain.ChangeStatusAsync(AppointmentStatus.CheckedIn), ErrorKind.InvalidTransition);

        // A no-show frees the provider for the rest of the slot.
        var walkIn = await clinic.AddPatientAsync();
        var late = TestClinic.NextQuarterHour(ClusterFixture.Clock.GetUtcNow());
        ResultAssert.Success(await clinic.BookAsync(walkIn, providerId, late));
    }

    /// <summary>
    /// A checkup at the next quarter hour in a clinic without minimum notice: inside its check-in
    /// window now, started after a clock move of at most 16 minutes.
    /// </summary>
    private async Task<(TestClinic Clinic, string ProviderId, IAppointmentGrain Grain, DateTimeOffset Start)> BookSoonAsync()
    {
        var clinic = await TestClinic.CreateAsync(_grains, BookingPolicy.Default with { MinimumNoticeMinutes = 0 });
        var providerId = await clinic.AddProviderAsync(new TimeOnly(0, 0), new TimeOnly(23, 45));
        var start = TestClinic.NextQuarterHour(ClusterFixture.Clock.GetUtcNow().AddMinutes(1));
        var booked = ResultAssert.Success(await clinic.BookAsync(await clinic.AddPatientAsync(), providerId, start));
        return (clinic, providerId, clinic.Appointment(booked.Id), start);
    }
}
