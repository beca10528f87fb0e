using System.Net;
using static ClinicCluster.Api.Tests.TestData;

namespace ClinicCluster.Api.Tests;

/// <summary>
/// Issue 24: the clinic-wide search and checkout holds over HTTP, every response checked against the
/// served OpenAPI document by the validating proxy.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class FindAndHoldEndpointsTests(ApiFixture fixture) : IDisposable
{
    private static readonly string Admin = ApiFixture.AdminToken;

    private readonly ValidatingProxyHandler _proxy = new();
    private ApiClient? _api;

    private ApiClient Api => _api ??= new ApiClient(fixture.Factory.CreateDefaultClient(_proxy));

    public void Dispose() => _api?.Http.Dispose();

    public static TheoryData<string, string> BadSearches() => new()
    {
        { "type=a%01b&from={d}&to={d}", "type" },
        { "type=" + new string('t', 65) + "&from={d}&to={d}", "type" },
        { "type=surgery&from={d}&to={d}", "type" },
        { "from={d}&to={d}", "" },
        { "type=checkup&from=not-a-date&to={d}", "" },
        { "type=checkup&from={d}&to=2020-01-01", "to" },
        { "type=checkup&from={d}&to={d+14}", "to" },
        { "type=checkup&from={d}&to={d}&limit=0", "limit" },
        { "type=checkup&from={d}&to={d}&limit=101", "limit" },
        { "type=checkup&from={d}&to={d}&limit=abc", "" },
        { "type=checkup&from={d}&to={d}&limit=99999999999", "" },
        { "type=checkup&from={d}&to={d}&providers=Bad%20Id", "providers" },
        { "type=checkup&from={d}&to={d}&providers=prv-unknown", "providers" },
        { "type=checkup&from={d}&to={d}&providers=" + string.Join(",", Enumerable.Range(0, 51).Select(i => "p" + i)), "providers" },
        { "type=checkup&from={d}&to={d}&providers=a%00b", "providers" },
        { "type=checkup&from={d}&to={d}&specialty=x%0Ay", "specialty" },
        { "type=checkup&from={d}&to={d}&specialty=" + new string('s', 101), "specialty" },
        { "type=checkup&from={d}&to={d}&cursor=not-a-cursor", "cursor" },
        { "type=checkup&from={d}&to={d}&cursor=" + new string('A', 201), "cursor" },
        { "type=checkup&from={d}&to={d}&cursor=%E2%80%AE", "cursor" },
    };

    [Theory]
    [MemberData(nameof(BadSearches))]
    public async Task Every_hostile_search_parameter_is_a_400_problem(string query, string field)
    {
        var clinic = await fixture.CreateClinicAsync();
        var day = DateOnly.Parse(NewYorkDate(NewYork(7, 10)), System.Globalization.CultureInfo.InvariantCulture);
        var path = $"{clinic.Path}/availability?" + query.Replace("{d+14}", $"{day.AddDays(14):yyyy-MM-dd}", StringComparison.Ordinal)
            .Replace("{d}", $"{day:yyyy-MM-dd}", StringComparison.Ordinal);

        using var response = await Api.GetAsync(path, Admin);

        if (field.Length > 0)
        {
            await response.ExpectValidationAsync(field);
        }
        else
        {
            await response.ExpectProblemAsync(HttpStatusCode.BadRequest);
        }
    }

    [Fact]
    public async Task Search_pages_by_cursor_hides_held_slots_and_converts_a_hold_into_a_booking()
    {
        var clinic = await fixture.CreateClinicAsync();
        var second = await fixture.AddProviderAsync(clinic.Id);
        var patient = await fixture.RegisterPatientAsync(clinic.Id);
        var other = await fixture.RegisterPatientAsync(clinic.Id);
        var start = NewYork(7, 8);
        var date = NewYorkDate(start);
        var search = $"{clinic.Path}/availability?type={Checkup}&from={date}&to={date}";

        using var firstPage = await Api.GetAsync(search + "&limit=3", Admin);
        var first = await firstPage.ExpectAsync(HttpStatusCode.OK);
        var items = first.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(3, items.Count);
        Assert.Equal([start, start], items.Take(2).Select(i => i.Instant("start")));
        Assert.Equal(new[] { clinic.ProviderId, second }.Order(StringComparer.Ordinal), items.Take(2).Select(i => i.Str("providerId")));
        var cursor = first.Str("nextCursor");
        using var nextPage = await Api.GetAsync(search + "&limit=3&cursor=" + Uri.EscapeDataString(cursor), Admin);
        var next = (await nextPage.ExpectAsync(HttpStatusCode.OK)).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(start.AddMinutes(15), next[0].Instant("start"));
        using var otherQuery = await Api.GetAsync($"{search}&providers={second}&cursor={Uri.EscapeDataString(cursor)}", Admin);
        await otherQuery.ExpectValidationAsync("cursor");

        // Hold the first slot of the first provider in the order: hidden from the search, refused to others.
        var provider = items[0].Str("providerId");
        using var held = await Api.PostAsync($"{clinic.Path}/holds", Admin, new { patientId = patient, providerId = provider, appointmentType = Checkup, start = Iso(start) });
        var hold = await held.ExpectAsync(HttpStatusCode.Created);
        var holdId = hold.Str("id");
        Assert.EndsWith($"/holds/{holdId}", held.Headers.Location!.ToString(), StringComparison.Ordinal);
        using var after = await Api.GetAsync(search + "&limit=1", Admin);
        Assert.NotEqual(provider, (await after.ExpectAsync(HttpStatusCode.OK)).GetProperty("items")[0].Str("providerId"));
        using var again = await Api.PostAsync($"{clinic.Path}/holds", Admin, new { patientId = other, providerId = provider, appointmentType = Checkup, start = Iso(start) });
        await again.ExpectProblemAsync(HttpStatusCode.Conflict, "slot-held");
        using var taken = await Api.PostAsync($"{clinic.Path}/appointments", Admin, BookingBody(other, provider, start));
        await taken.ExpectProblemAsync(HttpStatusCode.Conflict, "slot-held");
        using var stolen = await Api.PostAsync($"{clinic.Path}/appointments", Admin, Convert(other, provider, start, holdId));
        await stolen.ExpectProblemAsync(HttpStatusCode.Conflict, "hold-mismatch");

        using var booked = await Api.PostAsync($"{clinic.Path}/appointments", Admin, Convert(patient, provider, start, holdId));
        Assert.Equal(start, (await booked.ExpectAsync(HttpStatusCode.Created)).Instant("start"));
        using var used = await Api.SendAsync(HttpMethod.Delete, $"{clinic.Path}/holds/{holdId}", Admin);
        await used.ExpectProblemAsync(HttpStatusCode.NotFound);

        // A release frees the slot at once.
        var later = start.AddHours(2);
        using var second2 = await Api.PostAsync($"{clinic.Path}/holds", Admin, new { patientId = other, providerId = provider, appointmentType = Checkup, start = Iso(later), minutes = 15 });
        var secondId = (await second2.ExpectAsync(HttpStatusCode.Created)).Str("id");
        using var released = await Api.SendAsync(HttpMethod.Delete, $"{clinic.Path}/holds/{secondId}", Admin);
        await released.ExpectAsync(HttpStatusCode.NoContent);
        using var free = await Api.PostAsync($"{clinic.Path}/appointments", Admin, BookingBody(other, provider, later));
        await free.ExpectAsync(HttpStatusCode.Created);

        // Holds name a patient: each one is audited like a booking.
        var deadline = DateTime.UtcNow.AddSeconds(15);
        IReadOnlyList<ClinicCluster.Audit.AuditEvent> audited = [];
        while (audited.Count < 3 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
            audited = (await fixture.AllAsync(clinic.Id)).Select(r => r.Event).Where(e => e.ResourceType == "Slot").ToList();
        }

        Assert.Contains(audited, e => e.Operation == "PlaceHold" && e.PatientId == patient && e.HttpStatus == 201);
        Assert.Contains(audited, e => e.Operation == "PlaceHold" && e.PatientId == other && e.HttpStatus == 409);
        Assert.Contains(audited, e => e.Operation == "ReleaseHold" && e.PatientId == other && e.HttpStatus == 204);
        Assert.True(_proxy.Checked >= 12, $"Only {_proxy.Checked} responses were checked.");
        Assert.Empty(_proxy.Mismatches);
    }

    [Fact]
    public async Task Bad_hold_requests_get_their_status()
    {
        var clinic = await fixture.CreateClinicAsync();
        var patient = await fixture.RegisterPatientAsync(clinic.Id);
        var start = Iso(NewYork(9, 10));
        var holds = $"{clinic.Path}/holds";
        object Body(object? minutes = null, string? patientId = null, string? providerId = null, string type = Checkup, string? at = null) =>
            new { patientId = patientId ?? patient, providerId = providerId ?? clinic.ProviderId, appointmentType = type, start = at ?? start, minutes };

        foreach (var (body, field) in new (object, string)[]
        {
            (Body(minutes: 0), "minutes"), (Body(minutes: 16), "minutes"), (Body(patientId: "Bad Id"), "patientId"),
            (Body(providerId: "bad\u0000id"), "providerId"), (Body(type: "a\u0007b"), "appointmentType"), (Body(type: "surgery"), "appointmentType"),
            (Body(at: Iso(DateTimeOffset.UtcNow)), "start"),
        })
        {
            using var response = await Api.PostAsync(holds, Admin, body);
            await response.ExpectValidationAsync(field);
        }

        using var wrongType = await Api.SendRawAsync(HttpMethod.Post, holds, Admin, $"{{\"patientId\":\"{patient}\",\"providerId\":\"{clinic.ProviderId}\",\"appointmentType\":\"checkup\",\"start\":\"{start}\",\"minutes\":\"five\"}}");
        await wrongType.ExpectProblemAsync(HttpStatusCode.BadRequest);
        using var noOffset = await Api.SendRawAsync(HttpMethod.Post, holds, Admin, $"{{\"patientId\":\"{patient}\",\"providerId\":\"{clinic.ProviderId}\",\"appointmentType\":\"checkup\",\"start\":\"2030-01-01T10:00:00\"}}");
        await noOffset.ExpectProblemAsync(HttpStatusCode.BadRequest);
        using var unknownPatient = await Api.PostAsync(holds, Admin, Body(patientId: "pat-unknown"));
        await unknownPatient.ExpectProblemAsync(HttpStatusCode.NotFound);
        using var unknownProvider = await Api.PostAsync(holds, Admin, Body(providerId: "prv-unknown"));
        await unknownProvider.ExpectProblemAsync(HttpStatusCode.NotFound);
        using var malformed = await Api.SendAsync(HttpMethod.Delete, $"{holds}/not-a-hold", Admin);
        await malformed.ExpectProblemAsync(HttpStatusCode.NotFound);
        using var badHoldId = await Api.PostAsync($"{clinic.Path}/appointments", Admin, Convert(patient, clinic.ProviderId, NewYork(9, 10), "hld-x"));
        await badHoldId.ExpectValidationAsync("holdId");
        using var frontDesk = await Api.PostAsync(holds, ApiFixture.Token("auditor", clinic.Id), Body());
        await frontDesk.ExpectAsync(HttpStatusCode.Forbidden);
        Assert.Empty(_proxy.Mismatches);
    }

    [Fact]
    public async Task Concurrent_holds_of_one_slot_give_exactly_one_201()
    {
        var clinic = await fixture.CreateClinicAsync();
        var patients = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => fixture.RegisterPatientAsync(clinic.Id)));
        var start = Iso(NewYork(8, 15));

        var statuses = await Task.WhenAll(patients.Select(async patient =>
        {
            using var response = await fixture.Api.PostAsync($"{clinic.Path}/holds", Admin,
                new { patientId = patient, providerId = clinic.ProviderId, appointmentType = Checkup, start });
            return response.StatusCode;
        }));

        Assert.Single(statuses, s => s == HttpStatusCode.Created);
        Assert.All(statuses.Where(s => s != HttpStatusCode.Created), s => Assert.Equal(HttpStatusCode.Conflict, s));
    }

    private static object Convert(string patientId, string providerId, DateTimeOffset start, string holdId) =>
        new { patientId, providerId, appointmentType = Checkup, start = Iso(start), holdId };
}
