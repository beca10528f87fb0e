using ClinicCluster.Common;
using ClinicCluster.Scheduling;

namespace ClinicCluster.Grains.Tests;

[Collection(ClusterCollection.Name)]
public sealed class IdempotencyTests(ClusterFixture fixture)
{
    private static readonly DateOnly Day = TestClinic.Day(9);

    private readonly IGrainFactory _grains = fixture.GrainFactory;

    [Fact]
    public async Task Replaying_a_booking_with_the_same_fingerprint_returns_the_first_outcome()
    {
        var clinic = await TestClinic.CreateAsync(_grains);
        var providerId = await clinic.AddProviderAsync();
        var patientId = await clinic.AddPatientAsync();
        var start = TestClinic.Local(Day, 10);
        var first = ResultAssert.Success(await clinic.BookAsync("appt-1", patientId, providerId, start, "fp-a"));

        ClusterFixture.Clock.Advance(TimeSpan.FromSeconds(1));
        var replay = ResultAssert.Success(await clinic.BookAsync("appt-1", patientId, providerId, start, "fp-a"));

        Assert.Equal(first, replay);
        Assert.Equal(first.CreatedAt, replay.CreatedAt);
        Assert.Single(await clinic.ProviderSchedule(providerId).ListAsync(start, start.AddMinutes(1)));
    }

    [Fact]
    public async Task Reusing_the_key_with_another_request_is_an_idempotency_mismatch()
    {
        var clinic = await TestClinic.CreateAsync(_grains);
        var providerId = await clinic.AddProviderAsync();
        var patientId = await clinic.AddPatientAsync();
        var start = TestClinic.Local(Day, 10);
        var first = ResultAssert.Success(await clinic.BookAsync("appt-1", patientId, providerId, start, "fp-a"));

        var other = await clinic.BookAsync("appt-1", patientId, providerId, start.AddHours(1), "fp-b");

        ResultAssert.Failure(other, ErrorKind.IdempotencyMismatch, "idempotency-key-reused");
        Assert.Equal(first, await clinic.Appointment("appt-1").GetAsync());
    }

    [Fact]
    public async Task Booking_an_existing_appointment_without_a_fingerprint_is_refused()
    {
        var clinic = await TestClinic.CreateAsync(_grains);
        var providerId = await clinic.AddProviderAsync();
        var patientId = await clinic.AddPatientAsync();
        var start = TestClinic.Local(Day, 10);
        ResultAssert.Success(await clinic.BookAsync("appt-1", patientId, providerId, start));

        var again = await clinic.BookAsync("appt-1", patientId, providerId, start);

        ResultAssert.Failure(again, ErrorKind.IdempotencyMismatch);
    }

    [Fact]
    public async Task Replay_after_cancellation_returns_the_original_booking()
    {
        var clinic = await TestClinic.CreateAsync(_grains);
        var providerId = await clinic.AddProviderAsync();
        var patientId = await clinic.AddPatientAsync();
        var start = TestClinic.Local(Day, 10);
        var original = ResultAssert.Success(await clinic.BookAsync("appt-1", patientId, providerId, start, "fp-a"));
        ResultAssert.Success(await clinic.Appointment("appt-1").CancelAsync("Changed plans", null));

        var replay = ResultAssert.Success(await clinic.BookAsync("appt-1", patientId, providerId, start, "fp-a"));

        Assert.Equal(original, replay);
        Assert.Equal(AppointmentStatus.Booked, replay.Status);
        Assert.Equal(AppointmentStatus.Cancelled, (await clinic.Appointment("appt-1").GetAsync())!.Status);

        // The replay did not book the slot again.
        var other = await clinic.AddPatientAsync();
        ResultAssert.Success(await clinic.BookAsync(other, providerId, start));
    }

    [Fact]
    public async Task Replay_after_reschedule_returns_the_original_booking()
    {
        var clinic = await TestClinic.CreateAsync(_grains);
        var providerId = await clinic.AddProviderAsync();
        var patientId = await clinic.AddPatientAsync();
        var start = TestClinic.Local(Day, 10);
        var original = ResultAssert.Success(await clinic.BookAsync("appt-1", patientId, providerId, start, "fp-a"));
        ResultAssert.Success(await clinic.Appointment("appt-1").RescheduleAsync(TestClinic.Local(Day, 15)));

        var replay = ResultAssert.Success(await clinic.BookAsync("appt-1", patientId, providerId, start, "fp-a"));

        Assert.Equal(original, replay);
        Assert.Equal(TestClinic.Local(Day, 15), (await clinic.Appointment("appt-1").GetAsync())!.Start);
    }

    [Fact]
    public async Task Refused_booking_does_not_consume_the_key()
    {
        var clinic = await TestClinic.CreateAsync(_grains);
        var providerId = await clinic.AddProviderAsync();
        var patientId = await clinic.AddPatientAsync();
        var other = await clinic.AddPatientAsync();
        var start = TestClinic.Local(Day, 10);
        ResultAssert.Success(await clinic.BookAsync(other, providerId, start));

        ResultAssert.Failure(await clinic.BookAsync("appt-1", patientId, providerId, start, "fp-a"), ErrorKind.Conflict, "provider-busy");
        var later = await clinic.BookAsync("appt-1", patientId, providerId, start.AddHours(1), "fp-b");

        Assert.Equal(start.AddHours(1), ResultAssert.Success(later).Start);
    }

    [Fact]
    public async Task Concurrent_replays_of_one_request_book_once()
    {
        var clinic = await TestClinic.CreateAsync(_grains);
        var providerId = await clinic.AddProviderAsync();
        var patientId = await clinic.AddPatientAsync();
        var start = TestClinic.Local(Day, 11);

        var results = await Task.WhenAll(Enumerable.Range(0, 10)
            .Select(_ => clinic.BookAsync("appt-1", patientId, providerId, start, "fp-a")));

        var first = ResultAssert.Success(results[0]);
        Assert.All(results, r => Assert.Equal(first, ResultAssert.Success(r)));
        Assert.Single(await clinic.ProviderSchedule(providerId).ListAsync(start, start.AddMinutes(1)));
        Assert.Single(await clinic.PatientSchedule(patientId).ListAsync(start, start.AddMinutes(1)));
    }
}
