using ClinicCluster.Clinics;
using ClinicCluster.Common;
using ClinicCluster.Scheduling;

namespace ClinicCluster.Grains.Tests;

/// <summary>Issue 24: the clinic-wide search agrees with one availability call per provider.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ClinicAvailabilityTests(ClusterFixture fixture)
{
    private static readonly DateOnly From = TestClinic.Day(20);
    private static readonly DateOnly To = TestClinic.Day(23);

    private readonly IGrainFactory _grains = fixture.GrainFactory;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Paged_search_equals_the_merge_of_every_providers_availability_under_random_bookings(int seed)
    {
        var random = new Random(seed);
        var clinic = await TestClinic.CreateAsync(_grains);
        var providers = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var start = new TimeOnly(8 + random.Next(3), 15 * random.Next(4));
            providers.Add(await clinic.AddProviderAsync(start, start.AddHours(2 + random.Next(4))));
        }

        var patients = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => clinic.AddPatientAsync()));
        for (var i = 0; i < 40; i++)
        {
            var day = From.AddDays(random.Next(4));
            var start = TestClinic.Local(day, 8 + random.Next(9), 15 * random.Next(4));
            await clinic.BookAsync(patients[random.Next(patients.Length)], providers[random.Next(providers.Count)], start);
        }

        var expected = new List<ClinicSlot>();
        foreach (var provider in providers)
        {
            var slots = ResultAssert.Success(await clinic.ProviderSchedule(provider).GetAvailabilityAsync(From, To, TestClinic.Checkup));
            expected.AddRange(slots.Select(s => new ClinicSlot(provider, s.Start, s.End)));
        }

        expected = expected.OrderBy(s => s.Start).ThenBy(s => s.ProviderId, StringComparer.Ordinal).ToList();
        var limit = 1 + random.Next(40);
        var found = await ClinicSearch.AllPagesAsync(clinic, new ClinicAvailabilityQuery(TestClinic.Checkup, From, To, Limit: limit));

        Assert.NotEmpty(expected);
        Assert.Equal(expected, found);

        // What it shows can be booked: a shown slot goes to a new patient at once, and leaves later searches.
        var shown = found[random.Next(found.Count)];
        ResultAssert.Success(await clinic.BookAsync(await clinic.AddPatientAsync(), shown.ProviderId, shown.Start));
        expected.Remove(shown);

        // A subset of providers sees exactly their share.
        var chosen = providers.Take(2).ToList();
        var subset = await ClinicSearch.AllPagesAsync(clinic, new ClinicAvailabilityQuery(TestClinic.Checkup, From, To, chosen, Limit: 100));
        Assert.Equal(expected.Where(s => chosen.Contains(s.ProviderId) && !Blocks(shown, s)), subset);
    }

    [Fact]
    public async Task Specialty_filters_providers_and_unknown_names_are_refused()
    {
        var clinic = await TestClinic.CreateAsync(_grains);
        var family = await clinic.AddProviderAsync();
        var cardiologist = TestClinic.NewId("prov");
        ResultAssert.Success(await clinic.Grain.AddProviderAsync(cardiologist, TestClinic.Profile() with { Specialty = "Cardiology" }));
        var search = Search(clinic);

        var page = ResultAssert.Success(await search.FindAsync(new ClinicAvailabilityQuery(TestClinic.Checkup, From, From, Specialty: "cardiology", Limit: 100)));
        Assert.All(page.Items, s => Assert.Equal(cardiologist, s.ProviderId));
        Assert.Equal(31, page.Items.Count);
        Assert.Null(page.NextCursor);

        var first = ResultAssert.Success(await search.FindAsync(new ClinicAvailabilityQuery(TestClinic.Checkup, From, From, Limit: 2)));
        Assert.Equal([TestClinic.Local(From, 9), TestClinic.Local(From, 9)], first.Items.Select(s => s.Start));
        Assert.Equal(new[] { family, cardiologist }.Order(StringComparer.Ordinal), first.Items.Select(s => s.ProviderId));
        Assert.NotNull(first.NextCursor);

        ResultAssert.Failure(await search.FindAsync(new ClinicAvailabilityQuery("surgery", From, From)), ErrorKind.Validation);
        ResultAssert.Failure(await search.FindAsync(new ClinicAvailabilityQuery(TestClinic.Checkup, From, From, ["prv-nobody"])), ErrorKind.Validation);
        ResultAssert.Failure(await search.FindAsync(new ClinicAvailabilityQuery(TestClinic.Checkup, From, To, Cursor: first.NextCursor)), ErrorKind.Validation);
        ResultAssert.Failure(await _grains.GetGrain<IClinicAvailabilityGrain>(TestClinic.NewClinicId())
            .FindAsync(new ClinicAvailabilityQuery(TestClinic.Checkup, From, From)), ErrorKind.NotFound);
    }

    /// <summary>True when booking <paramref name="booked"/> takes <paramref name="slot"/> away (same provider, overlap with the buffer).</summary>
    private static bool Blocks(ClinicSlot booked, ClinicSlot slot) =>
        booked.ProviderId == slot.ProviderId && slot.Start < booked.End.AddMinutes(TestClinic.CheckupBufferMinutes)
        && booked.Start < slot.End.AddMinutes(TestClinic.CheckupBufferMinutes);

    private IClinicAvailabilityGrain Search(TestClinic clinic) => _grains.GetGrain<IClinicAvailabilityGrain>(clinic.Id);
}
