using ClinicCluster.Clinics;
using ClinicCluster.Common;
using ClinicCluster.Scheduling;

namespace ClinicCluster.Grains.Tests;

[Collection(ClusterCollection.Name)]
public sealed class BookingTests(ClusterFixture fixture)
{
    // Monday 2026-06-08, a week after the fake clock's start: far from every policy limit.
    private static readonly DateOnly Day = TestClinic.Day(7);

    private readonly IGrainFactory _grains = fixture.GrainFactory;

    [Fact]
    public async Task Booking_a_free_slot_stores_a_booked_appointment_in_clinic_time()
    {
        var clinic = await TestClinic.CreateAsync(_grains);
        var providerId = await clinic.AddProviderAsync();
        var patientId = await clinic.AddPatientAsync();
        var start = new DateTimeOffset(2026, 6, 8, 14, 0, 0, TimeSpan.Zero); // 10:00 in New York

        var appointment = ResultAssert.Success(await clinic.BookAsync("appt-1", patientId, providerId, start));

        Assert.Equal("appt-1", appointment.Id);
        Assert.Equal(clinic.Id, appointment.ClinicId);
        Assert.Equal(patientId, appointment.PatientId);
        Assert.Equal(providerId, appointment.ProviderId);
        Assert.Equal(TestClinic.Checkup, appointment.AppointmentType);
        Assert.Equal(AppointmentStatus.Booked, appointment.Status);
        Assert.Equal(start, appointment.Start);
        Assert.Equal(TimeSpan.FromHours(-4), appointment.Start.Offset);
        Assert.Equal(new DateTime(2026, 6, 8, 10, 0, 0), appointment.Start.DateTime);
        Assert.Equal(appointment.Start.AddMinutes(30), appointment.End);
        Assert.Equal(TimeSpan.FromHours(-4), appointment.End.Offset);
        Assert.Equal(ClusterFixture.Clock.GetUtcNow(), appointment.CreatedAt);
        Assert.Null(appointment.CancellationReason);

        Assert.Equal(appointment, await clinic.Appointment("appt-1").GetAsync());
        var (from, to) = (TestClinic.Local(Day, 0), TestClinic.Local(Day.AddDays(1), 0));
        var providerList = Assert.Single(await clinic.ProviderSchedule(providerId).ListAsync(from, to));
        Assert.Equal(new AppointmentSummary("appt-1", patientId, providerId, TestClinic.Checkup, start, start.AddMinutes(30), AppointmentStatus.Booked), providerList);
        Assert.Equal(providerList, Assert.Single(await clinic.PatientSchedule(patientId).ListAsync(from, to)));
    }

    [Fact]
    public async Task Appointment_type_is_matched_case_insensitively_and_stored_with_its_clinic_name()
    {
        var clinic = await TestClinic.CreateAsync(_grains);
        var providerId = await clinic.AddProviderAsync();
        var patientId = await clinic.AddPatientAsync();

        var result = await clinic.Appointment("appt-1")
            .BookAsync(new BookAppointment(patientId, providerId, "CHECKUP", TestClinic.Local(Day, 10), "Back pain"), null);

        var appointment = ResultAssert.Success(result);
        Assert.Equal(TestClinic.Checkup, appointment.AppointmentType);
        Assert.Equal("Back pain", appointment.Reason);
    }

    [Fact]
    public async Task Unknown_appointment_is_null()
    {
        var clinic = await TestClinic.CreateAsync(_grains);

        Assert.Null(await clinic.Appointment("nothing").GetAsync());
    }

    [Theory]
    [InlineData(8, 45)]  // before the day starts
    [InlineData(16, 45)] // would end after 17:00
    [InlineData(17, 0)]
    [InlineData(22, 0)]
    public async Task Booking_outside_working_hours_is_refused(int hour, int minute)
    {
        var clinic = await TestClinic.CreateAsync(_grains);
        var providerId = await clinic.AddProviderAsync();
        var patientId = await clinic.AddPatientAsync();

        var result = await clinic.BookAsync("appt-1", patientId, providerId, TestClinic.Local(Day, hour, minute));

        ResultAssert.Failure(result, ErrorKind.Conflict, "outside-working-hours");
        Assert.Null(await clinic.Appointment("appt-1").GetAsync());
    }

    [Fact]
    public async Task Last_visit_of_the_day_may_end_exactly_at_closing_time()
    {
        var clinic = await TestClinic.CreateAsync(_grains);
        var providerId = await clinic.AddProviderAsync();
        var patientId = await clinic.AddPatientAsync();

        ResultAssert.Success(await clinic.BookAsync(patientId, providerId, TestClinic.Local(Day, 16, 30)));
    }

    [Fact]
    public async Task Booking_during_provider_time_off_is_refused()
    {
        var clinic = await TestClinic.CreateAsync(_grains);
        var off = new TimeOff(TestClinic.Local(Day, 12), TestClinic.Local(Day, 14));
        var providerId = await clinic.AddProviderAsync(timeOff: off);
        var patientId = await clinic.AddPatientAsync();

        ResultAssert.Failure(await clinic.BookAsync(patientId, providerId, TestClinic.Local(Day, 11, 45)), ErrorKind.Conflict, "provider-time-off");
        ResultAssert.Failure(await clinic.BookAsync(patientId, providerId, TestClinic.Local(Day, 13, 30)), ErrorKind.Conflict, "provider-time-off");
        ResultAssert.Success(await clinic.BookAsync(patientId, providerId, TestClinic.Local(Day, 14)));
    }

    [Fact]
    public async Task Booking_for_an_unknown_patient_is_not_found()
    {
        var clinic = await TestClinic.CreateAsync(_grains);
        var providerId = await clinic.AddProviderAsync();

        var result = await clinic.BookAsync("appt-1", "nobody", providerId, TestClinic.Local(Day, 10));

        ResultAssert.Failure(result, ErrorKind.NotFound, "not-found");
        Assert.Null(await clinic.Appointment("appt-1").GetAsync());
    }

    [Fact]
    public async Task Booking_for_a_patient_of_another_clinic_is_not_found()
    {
        var clinic = await TestClinic.CreateAsync(_grains);
        var other = await TestClinic.CreateAsync(_grains);
        var providerId = await clinic.AddProviderAsync();
        var foreignPatient = await other.AddPatientAsync();

        ResultAssert.Failure(await clinic.BookAsync(foreignPatient, providerId, TestClinic.Local(Day, 10)), ErrorKind.NotFound);
    }

    [Fact]
    public async Task Booking_with_an_unknown_provider_is_not_found()
    {
        var clinic = await TestClinic.CreateAsync(_grains);
        var patientId = await clinic.AddPatientAsync();

        ResultAssert.Failure(await clinic.BookAsync(patientId, "nobody", TestClinic.Local(Day, 10)), ErrorKind.NotFound);
    }

    [Fact]
    public async Task Booking_an_unknown_appointment_type_is_a_validation_error()
    {
        var clinic = await TestClinic.CreateAsync(_grains);
        var providerId = await clinic.AddProviderAsync();
        var patientId = await clinic.AddPatientAsync();

        var result = await clinic.Appointment("appt-1")
            .BookAsync(new BookAppointment(patientId, providerId, "surgery", TestClinic.Local(Day, 10)), null);

        var error = ResultAssert.Failure(result, ErrorKind.Validation);
        Assert.Contains("appointmentType", error.Fields!.Keys);
    }

    [Fact]
    public async Task Booking_with_less_than_the_minimum_notice_is_a_validation_error()
    {
        var clinic = await TestClinic.CreateAsync(_grains);
        var providerId = await clinic.AddProviderAsync(new TimeOnly(0, 0), new TimeOnly(23, 45));
        var patientId = await clinic.AddPatientAsync();
        var now = ClusterFixture.Clock.GetUtcNow();

        var tooSoon = await clinic.BookAsync("appt-1", patientId, providerId, now.AddMinutes(119));
        var inThePast = await clinic.BookAsync("appt-2", patientId, providerId, now.AddDays(-1));

        Assert.Equal(new[] { "start" }, ResultAssert.Failure(tooSoon, ErrorKind.Validation).Fields!.Keys);
        Assert.Equal(new[] { "start" }, ResultAssert.Failure(inThePast, ErrorKind.Validation).Fields!.Keys);
        Assert.Null(await clinic.Appointment("appt-1").GetAsync());
    }

    [Fact]
    public async Task Booking_beyond_the_horizon_is_a_validation_error()
    {
        var clinic = await TestClinic.CreateAsync(_grains);
        var providerId = await clinic.AddProviderAsync(new TimeOnly(0, 0), new TimeOnly(23, 45));
        var patientId = await clinic.AddPatientAsync();
        var now = ClusterFixture.Clock.GetUtcNow();

        var tooLate = await clinic.BookAsync(patientId, providerId, TestClinic.NextQuarterHour(now.AddDays(90).AddMinutes(1)));

        Assert.Equal(new[] { "start" }, ResultAssert.Failure(tooLate, ErrorKind.Validation).Fields!.Keys);
    }

    [Fact]
    public async Task Provider_stays_busy_for_the_buffer_after_a_visit()
    {
        var clinic = await TestClinic.CreateAsync(_grains);
        var providerId = await clinic.AddProviderAsync();
        var first = await clinic.AddPatientAsync();
        var second = await clinic.AddPatientAsync();
        ResultAssert.Success(await clinic.BookAsync(first, providerId, TestClinic.Local(Day, 10)));

        // 10:00-10:30 plus a 10-minute buffer blocks the provider until 10:40.
        ResultAssert.Failure(await clinic.BookAsync(second, providerId, TestClinic.Local(Day, 10)), ErrorKind.Conflict, "provider-busy");
        ResultAssert.Failure(await clinic.BookAsync(second, providerId, TestClinic.Local(Day, 10, 15)), ErrorKind.Conflict, "provider-busy");
        ResultAssert.Failure(await clinic.BookAsync(second, providerId, TestClinic.Local(Day, 10, 35)), ErrorKind.Conflict, "provider-busy");
        var after = ResultAssert.Success(await clinic.BookAsync(second, providerId, TestClinic.Local(Day, 10, 40)));
        Assert.Equal(TestClinic.Local(Day, 11, 10), after.End);
    }

    [Fact]
    public async Task New_visit_needs_its_own_buffer_before_the_next_visit()
    {
        var clinic = await TestClinic.CreateAsync(_grains);
        var providerId = await clinic.AddProviderAsync();
        var first = await clinic.AddPatientAsync();
        var second = await clinic.AddPatientAsync();
        ResultAssert.Success(await clinic.BookAsync(first, providerId, TestClinic.Local(Day, 10)));

        // 09:30-10:00 would need the provider until 10:10.
        ResultAssert.Failure(await clinic.BookAsync(second, providerId, TestClinic.Local(Day, 9, 30)), ErrorKind.Conflict, "provider-busy");
        ResultAssert.Success(await clinic.BookAsync(second, providerId, TestClinic.Local(Day, 9, 20)));
    }

    [Fact]
    public async Task Patient_cannot_be_booked_with_two_providers_at_overlapping_times()
    {
        var clinic = await TestClinic.CreateAsync(_grains);
        var providerA = await clinic.AddProviderAsync();
        var providerB = await clinic.AddProviderAsync();
        var patientId = await clinic.AddPatientAsync();
        ResultAssert.Success(await clinic.BookAsync(patientId, providerA, TestClinic.Local(Day, 10)));

        ResultAssert.Failure(await clinic.BookAsync(patientId, providerB, TestClinic.Local(Day, 10, 15)), ErrorKind.Conflict, "patient-busy");

        // The buffer blocks only the provider: the patient is free again at 10:30.
        ResultAssert.Success(await clinic.BookAsync(patientId, providerB, TestClinic.Local(Day, 10, 30)));
    }

    [Fact]
    public async Task Provider_hold_is_released_when_the_patient_is_busy()
    {
        var clinic = await TestClinic.CreateAsync(_grains);
        var providerA = await clinic.AddProviderAsync();
        var providerB = await clinic.AddProviderAsync();
        var busyPatient = await clinic.AddPatientAsync();
        var otherPatient = await clinic.AddPatientAsync();
        var slot = TestClinic.Local(Day, 10);
        ResultAssert.Success(await clinic.BookAsync(busyPatient, providerA, slot));

        ResultAssert.Failure(await clinic.BookAsync("appt-refused", busyPatient, providerB, slot), ErrorKind.Conflict, "patient-busy");

        // Provider B's slot was held for the refused booking and must have been given back.
        var later = await clinic.BookAsync("appt-later", otherPatient, providerB, slot);
        ResultAssert.Success(later);
        Assert.Null(await clinic.Appointment("appt-refused").GetAsync());
        var listed = Assert.Single(await clinic.ProviderSchedule(providerB).ListAsync(slot.AddHours(-1), slot.AddHours(1)));
        Assert.Equal("appt-later", listed.Id);
    }

    [Fact]
    public async Task Booking_same_slot_concurrently_admits_exactly_one()
    {
        const int attempts = 50;
        var clinic = await TestClinic.CreateAsync(_grains);
        var providerId = await clinic.AddProviderAsync();
        var patients = await Task.WhenAll(Enumerable.Range(0, attempts).Select(_ => clinic.AddPatientAsync()));
        var slot = TestClinic.Local(Day, 11);

        var results = await Task.WhenAll(patients.Select(patientId => clinic.BookAsync(patientId, providerId, slot)));

        var winner = Assert.Single(results, r => r.IsSuccess);
        var losers = results.Where(r => !r.IsSuccess).ToList();
        Assert.Equal(attempts - 1, losers.Count);
        Assert.All(losers, r => ResultAssert.Failure(r, ErrorKind.Conflict, "provider-busy"));

        var listed = Assert.Single(await clinic.ProviderSchedule(providerId).ListAsync(slot.AddHours(-1), slot.AddHours(1)));
        Assert.Equal(winner.Value!.Id, listed.Id);

        // Only the winner's patient got the appointment; every other patient's calendar is free.
        var busyPatients = 0;
        foreach (var patientId in patients)
        {
            busyPatients += (await clinic.PatientSchedule(patientId).ListAsync(slot.AddHours(-1), slot.AddHours(1))).Count;
        }

        Assert.Equal(1, busyPatients);
    }

    [Fact]
    public async Task Booking_one_patient_with_two_providers_concurrently_admits_exactly_one()
    {
        var clinic = await TestClinic.CreateAsync(_grains);
        var providers = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => clinic.AddProviderAsync()));
        var patientId = await clinic.AddPatientAsync();
        var slot = TestClinic.Local(Day, 15);

        var results = await Task.WhenAll(providers.Select(providerId => clinic.BookAsync(patientId, providerId, slot)));

        var winner = Assert.Single(results, r => r.IsSuccess).Value!;
        Assert.All(results.Where(r => !r.IsSuccess), r => ResultAssert.Failure(r, ErrorKind.Conflict, "patient-busy"));
        Assert.Equal(winner.Id, Assert.Single(await clinic.PatientSchedule(patientId).ListAsync(slot, slot.AddMinutes(1))).Id);

        // The losing providers' holds were released: other patients can take the same slot with each of them.
        foreach (var providerId in providers.Where(p => p != winner.ProviderId))
        {
            ResultAssert.Success(await clinic.BookAsync(await clinic.AddPatientAsync(), providerId, slot));
        }
    }

    [Fact]
    public async Task Refused_booking_can_be_retried_on_the_same_appointment_id()
    {
        var clinic = await TestClinic.CreateAsync(_grains);
        var providerId = await clinic.AddProviderAsync();
        var patientId = await clinic.AddPatientAsync();

        ResultAssert.Failure(await clinic.BookAsync("appt-1", patientId, providerId, TestClinic.Local(Day, 8)), ErrorKind.Conflict, "outside-working-hours");
        var retried = ResultAssert.Success(await clinic.BookAsync("appt-1", patientId, providerId, TestClinic.Local(Day, 9)));

        Assert.Equal(TestClinic.Local(Day, 9), retried.Start);
    }

    [Fact]
    public async Task Start_and_end_carry_the_offset_in_force_at_each_instant()
    {
        var clinic = await TestClinic.CreateAsync(_grains, BookingPolicy.Default with { MaximumHorizonDays = 365 });
        var providerId = await clinic.AddProviderAsync(new TimeOnly(0, 0), new TimeOnly(4, 0));
        var patientId = await clinic.AddPatientAsync();
        var edt = TimeSpan.FromHours(-4);
        var est = TimeSpan.FromHours(-5);

        // Sunday 2026-11-01: clocks go back from 02:00 EDT to 01:00 EST. 01:45 EDT is 05:45 UTC;
        // the visit ends 30 minutes later at 01:15 EST.
        var start = new DateTimeOffset(2026, 11, 1, 1, 45, 0, edt);
        var appointment = ResultAssert.Success(await clinic.BookAsync(patientId, providerId, start));

        Assert.Equal(edt, appointment.Start.Offset);
        Assert.Equal(est, appointment.End.Offset);
        Assert.Equal(new DateTime(2026, 11, 1, 1, 15, 0), appointment.End.DateTime);
        Assert.Equal(TimeSpan.FromMinutes(30), appointment.End - appointment.Start);

        var winter = ResultAssert.Success(await clinic.BookAsync(patientId, providerId, new DateTimeOffset(2026, 11, 2, 8, 0, 0, TimeSpan.Zero)));
        Assert.Equal(new DateTimeOffset(2026, 11, 2, 3, 0, 0, est), winter.Start);
        Assert.Equal(est, winter.Start.Offset);
    }

    [Fact]
    public async Task Clinic_policy_change_applies_to_the_next_booking()
    {
        var clinic = await TestClinic.CreateAsync(_grains);
        var providerId = await clinic.AddProviderAsync();
        var patientId = await clinic.AddPatientAsync();
        var strict = TestClinic.Settings(BookingPolicy.Default with { MaximumHorizonDays = 3 });
        ResultAssert.Success(await clinic.Grain.UpdateSettingsAsync(strict));

        var result = await clinic.BookAsync(patientId, providerId, TestClinic.Local(Day, 10));

        ResultAssert.Failure(result, ErrorKind.Validation);
    }
}
