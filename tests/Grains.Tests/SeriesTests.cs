using ClinicCluster.Common;
using ClinicCluster.Scheduling;

namespace ClinicCluster.Grains.Tests;

/// <summary>Issue 24: recurring series (all-or-nothing, book what is free, retries, cancel this and following).</summary>
[Collection(ClusterCollection.Name)]
public sealed class SeriesTests(ClusterFixture fixture)
{
    private static readonly DateOnly Day = TestClinic.Day(10);

    private readonly IGrainFactory _grains = fixture.GrainFactory;

    [Fact]
    public async Task All_or_nothing_with_a_taken_week_books_nothing_and_names_the_date()
    {
        var clinic = await TestClinic.CreateAsync(_grains);
        var provider = await clinic.AddProviderAsync();
        var patient = await clinic.AddPatientAsync();
        var other = await clinic.AddPatientAsync();
        var start = TestClinic.Local(Day, 10);
        ResultAssert.Success(await clinic.BookAsync(other, provider, start.AddDays(14)));
        var seriesId = TestClinic.NewId("ser");

        var outcome = ResultAssert.Success(await Series(clinic, seriesId).BookAsync(Request(patient, provider, start, "FREQ=WEEKLY;COUNT=4")));

        Assert.Null(outcome.Series);
        var conflict = Assert.Single(outcome.Conflicts);
        Assert.Equal((Day.AddDays(14), "provider-busy"), (conflict.Date, conflict.Code));
        for (var i = 0; i < 4; i++)
        {
            Assert.Null(await clinic.Appointment(SeriesIds.Occurrence(seriesId, i)).GetAsync());
        }

        // Nothing stays held either: the free weeks can be booked at once.
        ResultAssert.Success(await clinic.BookAsync(other, provider, start));
        Assert.Null(await Series(clinic, seriesId).GetAsync());
    }

    [Fact]
    public async Task Book_what_is_free_skips_taken_weeks_and_a_retry_answers_the_same_series()
    {
        var clinic = await TestClinic.CreateAsync(_grains);
        var provider = await clinic.AddProviderAsync();
        var patient = await clinic.AddPatientAsync();
        var other = await clinic.AddPatientAsync();
        var start = TestClinic.Local(Day, 11);
        ResultAssert.Success(await clinic.BookAsync(other, provider, start.AddDays(7).AddMinutes(15)));
        var seriesId = TestClinic.NewId("ser");
        var request = Request(patient, provider, start, "FREQ=WEEKLY;INTERVAL=1;COUNT=3", SeriesMode.BookWhatIsFree);

        var outcome = ResultAssert.Success(await Series(clinic, seriesId).BookAsync(request));

        var series = outcome.Series!;
        Assert.Equal([SeriesOccurrenceStatus.Booked, SeriesOccurrenceStatus.Skipped, SeriesOccurrenceStatus.Booked], series.Occurrences.Select(o => o.Status));
        Assert.Equal(Day.AddDays(7), Assert.Single(outcome.Conflicts).Date);
        var third = await clinic.Appointment(series.Occurrences[2].AppointmentId).GetAsync();
        Assert.Equal((patient, start.AddDays(14), AppointmentStatus.Booked), (third!.PatientId, third.Start, third.Status));
        Assert.Null(await clinic.Appointment(series.Occurrences[1].AppointmentId).GetAsync());

        var retry = ResultAssert.Success(await Series(clinic, seriesId).BookAsync(request));
        Assert.Equal(series.Id, retry.Series!.Id);
        Assert.Equal(series.Occurrences, retry.Series.Occurrences);
        ResultAssert.Failure(await Series(clinic, seriesId).BookAsync(request with { Rule = "FREQ=WEEKLY;COUNT=2" }), ErrorKind.IdempotencyMismatch);
    }

    [Fact]
    public async Task Cancel_this_and_following_cancels_from_the_index_on_and_one_occurrence_cancels_alone()
    {
        var clinic = await TestClinic.CreateAsync(_grains);
        var provider = await clinic.AddProviderAsync();
        var patient = await clinic.AddPatientAsync();
        var start = TestClinic.Local(Day, 15);
        var grain = Series(clinic, TestClinic.NewId("ser"));
        var series = ResultAssert.Success(await grain.BookAsync(Request(patient, provider, start, "FREQ=WEEKLY;COUNT=4"))).Series!;
        Assert.All(series.Occurrences, o => Assert.Equal(SeriesOccurrenceStatus.Booked, o.Status));

        // One occurrence: the ordinary cancel. Then this and following from index 1.
        ResultAssert.Success(await clinic.Appointment(series.Occurrences[3].AppointmentId).CancelAsync(null, CancellationReasonCode.PatientRequest));
        var after = ResultAssert.Success(await grain.CancelFromAsync(1, null, CancellationReasonCode.PatientRequest));

        Assert.Equal([SeriesOccurrenceStatus.Booked, SeriesOccurrenceStatus.Cancelled, SeriesOccurrenceStatus.Cancelled, SeriesOccurrenceStatus.Cancelled],
            after.Occurrences.Select(o => o.Status));
        Assert.Equal(AppointmentStatus.Booked, (await clinic.Appointment(series.Occurrences[0].AppointmentId).GetAsync())!.Status);
        Assert.Equal(AppointmentStatus.Cancelled, (await clinic.Appointment(series.Occurrences[2].AppointmentId).GetAsync())!.Status);
        ResultAssert.Failure(await grain.CancelFromAsync(4, null, null), ErrorKind.Validation);
        ResultAssert.Failure(await Series(clinic, TestClinic.NewId("ser")).CancelFromAsync(0, null, null), ErrorKind.NotFound);
    }

    [Fact]
    public async Task A_rule_beyond_the_booking_window_or_an_unknown_patient_is_refused_as_a_whole()
    {
        var clinic = await TestClinic.CreateAsync(_grains);
        var provider = await clinic.AddProviderAsync();
        var patient = await clinic.AddPatientAsync();
        var start = TestClinic.Local(Day, 9);

        var beyond = ResultAssert.Success(await Series(clinic, TestClinic.NewId("ser")).BookAsync(Request(patient, provider, start, "FREQ=WEEKLY;INTERVAL=4;COUNT=4")));
        Assert.Null(beyond.Series);
        Assert.Equal("outside-booking-window", Assert.Single(beyond.Conflicts).Code);

        ResultAssert.Failure(await Series(clinic, TestClinic.NewId("ser")).BookAsync(Request("pat-unknown", provider, start, "FREQ=WEEKLY;COUNT=2")), ErrorKind.NotFound);
        ResultAssert.Failure(await Series(clinic, TestClinic.NewId("ser")).BookAsync(Request(patient, provider, start, "FREQ=DAILY;COUNT=2")), ErrorKind.Validation);
        ResultAssert.Success(await clinic.BookAsync(patient, provider, start));
    }

    private static ISeriesGrain Series(TestClinic clinic, string seriesId) =>
        clinic.Grains.GetGrain<ISeriesGrain>(ClinicScopedKey.Format(clinic.Id, seriesId));

    private static BookSeries Request(string patient, string provider, DateTimeOffset start, string rule, SeriesMode mode = SeriesMode.AllOrNothing) =>
        new(patient, provider, TestClinic.Checkup, start, rule, mode);
}
