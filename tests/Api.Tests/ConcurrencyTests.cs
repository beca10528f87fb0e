using System.Net;
using static ClinicCluster.Api.Tests.TestData;

namespace ClinicCluster.Api.Tests;

[Collection(ApiCollection.Name)]
public sealed class ConcurrencyTests(ApiFixture fixture)
{
    private readonly ApiClient _api = fixture.Api;

    [Fact]
    public async Task Two_hundred_concurrent_bookings_of_one_slot_yield_exactly_one_appointment()
    {
        const int bookings = 200;
        var clinic = await fixture.CreateClinicAsync();
        var patients = new List<string>(bookings);
        foreach (var batch in Enumerable.Range(0, bookings).Chunk(50))
        {
            patients.AddRange(await Task.WhenAll(batch.Select(i =>
                fixture.RegisterPatientAsync(clinic.Id, givenName: "Load" + i, familyName: "Patient"))));
        }

        var start = NewYork(10, 10);
        using var gate = new SemaphoreSlim(0);
        var requests = patients.Select(async patient =>
        {
            await gate.WaitAsync();
            using var response = await _api.PostAsync($"{clinic.Path}/appointments", ApiFixture.AdminToken, BookingBody(patient, clinic.ProviderId, start));
            var body = await response.Content.ReadAsStringAsync();
            return (response.StatusCode, Body: body);
        }).ToList();
        gate.Release(bookings);
        var results = await Task.WhenAll(requests);

        Assert.Equal(1, results.Count(r => r.StatusCode == HttpStatusCode.Created));
        Assert.Equal(bookings - 1, results.Count(r => r.StatusCode == HttpStatusCode.Conflict));
        Assert.All(results.Where(r => r.StatusCode == HttpStatusCode.Conflict),
            r => Assert.Contains("\"code\":\"provider-busy\"", r.Body, StringComparison.Ordinal));

        using var day = await _api.GetAsync($"{clinic.Path}/providers/{clinic.ProviderId}/appointments?date={NewYorkDate(start)}", ApiFixture.AdminToken);
        var item = Assert.Single((await day.ExpectAsync(HttpStatusCode.OK)).GetProperty("items").EnumerateArray());
        Assert.Equal(start, item.Instant("start"));
    }

    [Fact]
    public async Task Concurrent_bookings_of_one_patient_with_two_providers_yield_exactly_one_appointment()
    {
        const int bookings = 20;
        var clinic = await fixture.CreateClinicAsync();
        var second = await fixture.AddProviderAsync(clinic.Id, name: "Dr. Second");
        var patient = await fixture.RegisterPatientAsync(clinic.Id);
        var start = NewYork(10, 10);

        using var gate = new SemaphoreSlim(0);
        var requests = Enumerable.Range(0, bookings).Select(async i =>
        {
            await gate.WaitAsync();
            var provider = i % 2 == 0 ? clinic.ProviderId : second;
            using var response = await _api.PostAsync($"{clinic.Path}/appointments", ApiFixture.AdminToken, BookingBody(patient, provider, start));
            var body = await response.Content.ReadAsStringAsync();
            return (response.StatusCode, Body: body);
        }).ToList();
        gate.Release(bookings);
        var results = await Task.WhenAll(requests);

        Assert.Equal(1, results.Count(r => r.StatusCode == HttpStatusCode.Created));
        Assert.Equal(bookings - 1, results.Count(r => r.StatusCode == HttpStatusCode.Conflict));
        Assert.All(results.Where(r => r.StatusCode == HttpStatusCode.Conflict), r => Assert.True(
            r.Body.Contains("\"code\":\"provider-busy\"", StringComparison.Ordinal) || r.Body.Contains("\"code\":\"patient-busy\"", StringComparison.Ordinal),
            r.Body));

        using var list = await _api.GetAsync($"{clinic.Path}/patients/{patient}/appointments", ApiFixture.AdminToken);
        var item = Assert.Single((await list.ExpectAsync(HttpStatusCode.OK)).GetProperty("items").EnumerateArray());

        // Whichever provider lost keeps the slot free for someone else.
        var booked = item.Str("providerId");
        var loser = booked == clinic.ProviderId ? second : clinic.ProviderId;
        var other = await fixture.RegisterPatientAsync(clinic.Id);
        await fixture.BookAsync(clinic, other, start, loser);
    }
}
