using ClinicCluster.Common;
using ClinicCluster.Scheduling;

namespace ClinicCluster.Grains.Tests;

/// <summary>Issue 24: checkout holds in the provider's calendar (race, conversion, expiry on the fake clock).</summary>
[Collection(ClusterCollection.Name)]
public sealed class CheckoutHoldTests(ClusterFixture fixture)
{
    private static readonly DateOnly Day = TestClinic.Day(12);

    private readonly IGrainFactory _grains = fixture.GrainFactory;

    [Fact]
    public async Task Many_concurrent_holds_of_one_slot_give_exactly_one_hold()
    {
        var clinic = await TestClinic.CreateAsync(_grains);
        var provider = await clinic.AddProviderAsync();
        var patients = await Task.WhenAll(Enumerable.Range(0, 30).Select(_ => clinic.AddPatientAsync()));
        var start = TestClinic.Local(Day, 10);

        var results = await Task.WhenAll(patients.Select(p =>
            clinic.ProviderSchedule(provider).PlaceHoldAsync(new PlaceHold(p, provider, TestClinic.Checkup, start.AddMinutes(Random.Shared.Next(3) * 15)))));

        Assert.Single(results, r => r.IsSuccess);
        Assert.All(results.Where(r => !r.IsSuccess), r => Assert.Equal("slot-held", r.Error!.Code));
    }

    [Fact]
    public async Task A_held_slot_is_hidden_refused_to_others_and_converted_by_its_patient_only()
    {
        var clinic = await TestClinic.CreateAsync(_grains);
        var provider = await clinic.AddProviderAsync();
        var patient = await clinic.AddPatientAsync();
        var other = await clinic.AddPatientAsync();
        var start = TestClinic.Local(Day, 11);
        var calendar = clinic.ProviderSchedule(provider);

        var hold = ResultAssert.Success(await calendar.PlaceHoldAsync(new PlaceHold(patient, provider, TestClinic.Checkup, start)));
        Assert.Equal(ClusterFixture.Clock.GetUtcNow().AddMinutes(5), hold.ExpiresAt);
        Assert.Equal(provider, HoldIds.ProviderOf(hold.Id));

        var open = ResultAssert.Success(await calendar.GetAvailabilityAsync(Day, Day, TestClinic.Checkup)).Select(s => s.Start).ToList();
        Assert.DoesNotContain(start, open);
        Assert.DoesNotContain(start.AddMinutes(-30), open);
        var page = ResultAssert.Success(await _grains.GetGrain<IClinicAvailabilityGrain>(clinic.Id)
            .FindAsync(new ClinicAvailabilityQuery(TestClinic.Checkup, Day, Day, Limit: 100)));
        Assert.DoesNotContain(start, page.Items.Select(s => s.Start));

        ResultAssert.Failure(await clinic.BookAsync(other, provider, start.AddMinutes(15)), ErrorKind.Conflict, "slot-held");
        ResultAssert.Failure(await clinic.BookAsync(patient, provider, start), ErrorKind.Conflict, "slot-held");
        ResultAssert.Failure(await Book(clinic, other, provider, start, hold.Id), ErrorKind.Conflict, "hold-mismatch");
        ResultAssert.Failure(await Book(clinic, patient, provider, start.AddMinutes(15), hold.Id), ErrorKind.Conflict);

        var booked = ResultAssert.Success(await Book(clinic, patient, provider, start, hold.Id));
        Assert.Equal(start, booked.Start);

        // A retry of that booking from a fresh appointment activation holds the calendar again with
        // the used hold's id: the calendar lets it through to the ledger's replay.
        var retry = new SlotHold(new AppointmentSummary(booked.Id, patient, provider, TestClinic.Checkup, start, start.AddMinutes(30),
            AppointmentStatus.Booked), start.AddMinutes(40), CheckoutHoldId: hold.Id);
        ResultAssert.Success(await calendar.HoldAsync(retry));
        await calendar.ReleaseAsync(booked.Id, start);

        // Used up: the hold is gone, and the slot is now a booking.
        ResultAssert.Failure(await calendar.ReleaseHoldAsync(hold.Id), ErrorKind.NotFound);
        ResultAssert.Failure(await Book(clinic, patient, provider, start.AddHours(1), hold.Id), ErrorKind.Conflict, "hold-not-found");
        ResultAssert.Failure(await calendar.PlaceHoldAsync(new PlaceHold(other, provider, TestClinic.Checkup, start)), ErrorKind.Conflict, "provider-busy");
    }

    [Fact]
    public async Task A_hold_expires_on_time_without_a_reminder_and_a_release_frees_at_once()
    {
        var clinic = await TestClinic.CreateAsync(_grains);
        var provider = await clinic.AddProviderAsync();
        var patient = await clinic.AddPatientAsync();
        var other = await clinic.AddPatientAsync();
        var start = TestClinic.Local(Day, 14);
        var calendar = clinic.ProviderSchedule(provider);

        var hold = ResultAssert.Success(await calendar.PlaceHoldAsync(new PlaceHold(patient, provider, TestClinic.Checkup, start, Minutes: 1)));
        ResultAssert.Failure(await calendar.PlaceHoldAsync(new PlaceHold(other, provider, TestClinic.Checkup, start)), ErrorKind.Conflict, "slot-held");

        TestClinic.AdvanceClockTo(hold.ExpiresAt);

        Assert.Contains(start, ResultAssert.Success(await calendar.GetAvailabilityAsync(Day, Day, TestClinic.Checkup)).Select(s => s.Start));
        ResultAssert.Failure(await Book(clinic, patient, provider, start, hold.Id), ErrorKind.Conflict, "hold-not-found");
        var second = ResultAssert.Success(await calendar.PlaceHoldAsync(new PlaceHold(other, provider, TestClinic.Checkup, start)));

        Assert.Equal(second, ResultAssert.Success(await calendar.ReleaseHoldAsync(second.Id)));
        ResultAssert.Success(await clinic.BookAsync(patient, provider, start));
    }

    [Fact]
    public async Task Bad_hold_requests_are_refused_by_rule()
    {
        var clinic = await TestClinic.CreateAsync(_grains);
        var provider = await clinic.AddProviderAsync();
        var patient = await clinic.AddPatientAsync();
        var calendar = clinic.ProviderSchedule(provider);
        var start = TestClinic.Local(Day, 9);

        ResultAssert.Failure(await calendar.PlaceHoldAsync(new PlaceHold(patient, provider, TestClinic.Checkup, start, 16)), ErrorKind.Validation);
        ResultAssert.Failure(await calendar.PlaceHoldAsync(new PlaceHold("pat-nobody", provider, TestClinic.Checkup, start)), ErrorKind.NotFound);
        ResultAssert.Failure(await calendar.PlaceHoldAsync(new PlaceHold(patient, provider, "surgery", start)), ErrorKind.Validation);
        ResultAssert.Failure(await calendar.PlaceHoldAsync(new PlaceHold(patient, provider, TestClinic.Checkup, TestClinic.Local(Day, 3))), ErrorKind.Conflict, "outside-working-hours");
        ResultAssert.Failure(await calendar.PlaceHoldAsync(new PlaceHold(patient, provider, TestClinic.Checkup, ClusterFixture.Clock.GetUtcNow())), ErrorKind.Validation);
    }

    private static Task<Result<Appointment>> Book(TestClinic clinic, string patient, string provider, DateTimeOffset start, string holdId) =>
        clinic.Appointment(TestClinic.NewId("appt")).BookAsync(new BookAppointment(patient, provider, TestClinic.Checkup, start, HoldId: holdId), null);
}
