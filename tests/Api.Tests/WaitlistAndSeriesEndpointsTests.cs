using System.Net;
using static ClinicCluster.Api.Tests.TestData;

namespace ClinicCluster.Api.Tests;

/// <summary>
/// Issue 24: the waitlist and recurring series over HTTP, every response checked against the served
/// OpenAPI document, hostile values in every new parameter answered with 400 problem details.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class WaitlistAndSeriesEndpointsTests(ApiFixture fixture) : IDisposable
{
    private static readonly string Admin = ApiFixture.AdminToken;

    private readonly ValidatingProxyHandler _proxy = new();
    private ApiClient? _api;

    private ApiClient Api => _api ??= new ApiClient(fixture.Factory.CreateDefaultClient(_proxy));

    public void Dispose() => _api?.Http.Dispose();

    /// <summary>A JSON body with one field replaced by a hostile value, and the field the 400 must name ("" when the body cannot bind).</summary>
    public static TheoryData<string, string, string> BadWaitlistBodies() => new()
    {
        { "patientId", "\"Bad Id\"", "patientId" },
        { "patientId", "\"a\\u0000b\"", "patientId" },
        { "patientId", "42", "" },
        { "appointmentType", "\"a\\u0001b\"", "appointmentType" },
        { "appointmentType", "\"" + new string('t', 65) + "\"", "appointmentType" },
        { "appointmentType", "\"surgery\"", "appointmentType" },
        { "providerId", "\"Bad Id\"", "providerId" },
        { "providerId", "\"\\u202E\"", "providerId" },
        { "from", "\"not-a-date\"", "" },
        { "from", "\"9999-12-31\"", "to" },
        { "to", "\"2020-01-01\"", "to" },
        { "to", "\"{d+120}\"", "to" },
        { "minimumNoticeMinutes", "-1", "minimumNoticeMinutes" },
        { "minimumNoticeMinutes", "99999999999", "" },
        { "minimumNoticeMinutes", "\"ten\"", "" },
        { "priority", "10", "priority" },
        { "priority", "-2147483648", "priority" },
        { "priority", "1.5", "" },
    };

    [Theory]
    [MemberData(nameof(BadWaitlistBodies))]
    public async Task Every_hostile_waitlist_field_is_a_400_problem(string name, string value, string field)
    {
        var clinic = await fixture.CreateClinicAsync();
        var patient = await fixture.RegisterPatientAsync(clinic.Id);
        var day = NewYorkDate(NewYork(3, 10));
        var fields = new Dictionary<string, string>
        {
            ["patientId"] = $"\"{patient}\"",
            ["appointmentType"] = $"\"{Checkup}\"",
            ["providerId"] = $"\"{clinic.ProviderId}\"",
            ["from"] = $"\"{day}\"",
            ["to"] = $"\"{day}\"",
            ["minimumNoticeMinutes"] = "0",
            ["priority"] = "0",
        };
        fields[name] = value.Replace("{d+120}", NewYorkDate(NewYork(120, 10)), StringComparison.Ordinal);
        var json = "{" + string.Join(",", fields.Select(f => $"\"{f.Key}\":{f.Value}")) + "}";

        using var response = await Api.SendRawAsync(HttpMethod.Post, $"{clinic.Path}/waitlist", Admin, json);

        await Expect400Async(response, field);
        Assert.Empty(_proxy.Mismatches);
    }

    public static TheoryData<string, string, string> BadSeriesBodies() => new()
    {
        { "rule", "\"FREQ=DAILY;COUNT=3\"", "rule" },
        { "rule", "\"FREQ=WEEKLY;BYDAY=MO;COUNT=3\"", "rule" },
        { "rule", "\"FREQ=WEEKLY;COUNT=53\"", "rule" },
        { "rule", "\"FREQ=WEEKLY;COUNT=3\\u0000\"", "rule" },
        { "rule", "\"" + new string('R', 300) + "\"", "rule" },
        { "rule", "null", "" },
        { "rule", "[]", "" },
        { "mode", "\"sometimes\"", "" },
        { "mode", "7", "" },
        { "patientId", "\"Bad Id\"", "patientId" },
        { "providerId", "\"a\\u0000b\"", "providerId" },
        { "appointmentType", "\"\\u202E\"", "appointmentType" },
        { "start", "\"2030-01-01T10:00:00\"", "" },
        { "start", "\"0001-01-01T00:00:00Z\"", "start" },
        { "reason", "\"a\\u0000b\"", "reason" },
    };

    [Theory]
    [MemberData(nameof(BadSeriesBodies))]
    public async Task Every_hostile_series_field_is_a_400_problem(string name, string value, string field)
    {
        var clinic = await fixture.CreateClinicAsync();
        var patient = await fixture.RegisterPatientAsync(clinic.Id);
        var fields = new Dictionary<string, string>
        {
            ["patientId"] = $"\"{patient}\"",
            ["providerId"] = $"\"{clinic.ProviderId}\"",
            ["appointmentType"] = $"\"{Checkup}\"",
            ["start"] = $"\"{Iso(NewYork(5, 10))}\"",
            ["rule"] = "\"FREQ=WEEKLY;COUNT=2\"",
            ["mode"] = "\"all-or-nothing\"",
            ["reason"] = "\"course\"",
        };
        fields[name] = value;
        var json = "{" + string.Join(",", fields.Select(f => $"\"{f.Key}\":{f.Value}")) + "}";

        using var response = await Api.SendRawAsync(HttpMethod.Post, $"{clinic.Path}/series", Admin, json);

        await Expect400Async(response, field);
        Assert.Empty(_proxy.Mismatches);
    }

    [Fact]
    public async Task Hostile_query_route_and_header_values_are_400_or_404_problems()
    {
        var clinic = await fixture.CreateClinicAsync();
        foreach (var limit in new[] { "0", "201", "abc", "99999999999", "-1" })
        {
            using var response = await Api.GetAsync($"{clinic.Path}/waitlist?limit={limit}", Admin);
            await response.ExpectProblemAsync(HttpStatusCode.BadRequest);
        }

        foreach (var path in new[] { "/waitlist/Bad%20Id", "/waitlist/offers/A-B/accept", "/waitlist/offers/wof-unknown/decline", "/series/ser-unknown", "/series/BAD/cancel" })
        {
            using var response = await Api.SendAsync(path.EndsWith("accept", StringComparison.Ordinal) || path.EndsWith("decline", StringComparison.Ordinal) || path.EndsWith("cancel", StringComparison.Ordinal)
                ? HttpMethod.Post : path.StartsWith("/waitlist/B", StringComparison.Ordinal) ? HttpMethod.Delete : HttpMethod.Get, clinic.Path + path, Admin);
            await response.ExpectProblemAsync(HttpStatusCode.NotFound);
        }

        var patient = await fixture.RegisterPatientAsync(clinic.Id);
        var valid = new { patientId = patient, providerId = clinic.ProviderId, appointmentType = Checkup, start = Iso(NewYork(5, 10)), rule = "FREQ=WEEKLY;COUNT=2" };
        using var badKey = await Api.PostAsync($"{clinic.Path}/series", Admin, valid, idempotencyKey: new string('k', 256));
        await badKey.ExpectProblemAsync(HttpStatusCode.BadRequest);
        foreach (var body in new[] { "{\"fromIndex\":\"one\"}", "{\"fromIndex\":1,\"reason\":\"a\\u0000b\"}", "{\"fromIndex\":1,\"reasonCode\":\"bored\"}", "[]" })
        {
            using var response = await Api.SendRawAsync(HttpMethod.Post, $"{clinic.Path}/series/ser-unknown/cancel", Admin, body);
            await response.ExpectProblemAsync(HttpStatusCode.BadRequest);
        }

        Assert.Empty(_proxy.Mismatches);
    }

    [Fact]
    public async Task A_cancellation_offers_the_slot_to_the_waitlist_the_offer_is_audited_and_accepting_books_it()
    {
        var clinic = await fixture.CreateClinicAsync();
        var holder = await fixture.RegisterPatientAsync(clinic.Id);
        var waiting = await fixture.RegisterPatientAsync(clinic.Id);
        var start = NewYork(6, 10);
        var date = NewYorkDate(start);
        using var joined = await Api.PostAsync($"{clinic.Path}/waitlist", Admin,
            new { patientId = waiting, appointmentType = Checkup, from = date, to = date, priority = 2 });
        var entry = await joined.ExpectAsync(HttpStatusCode.Created);
        var booked = await fixture.BookAsync(clinic, holder, start);
        using var cancelled = await Api.PostAsync($"{clinic.Path}/appointments/{booked.Str("id")}/cancel", Admin, new { reasonCode = "patient-request" });
        await cancelled.ExpectAsync(HttpStatusCode.OK);

        using var listed = await Api.GetAsync($"{clinic.Path}/waitlist", Admin);
        var view = await listed.ExpectAsync(HttpStatusCode.OK);
        var offer = view.GetProperty("offers").EnumerateArray().Single();
        Assert.Equal((entry.Str("id"), waiting, "offered", start), (offer.Str("entryId"), offer.Str("patientId"), offer.Str("status"), offer.Instant("start")));
        using var accepted = await Api.PostAsync($"{clinic.Path}/waitlist/offers/{offer.Str("id")}/accept", Admin, null);
        var appointmentId = (await accepted.ExpectAsync(HttpStatusCode.OK)).Str("appointmentId");
        using var appointment = await Api.GetAsync($"{clinic.Path}/appointments/{appointmentId}", Admin);
        Assert.Equal(waiting, (await appointment.ExpectAsync(HttpStatusCode.OK)).Str("patientId"));
        using var declined = await Api.PostAsync($"{clinic.Path}/waitlist/offers/{offer.Str("id")}/decline", Admin, null);
        await declined.ExpectProblemAsync(HttpStatusCode.Conflict, "offer-closed");

        // The offer itself (made by the grain, not a request) and each request are audited.
        var deadline = DateTime.UtcNow.AddSeconds(15);
        IReadOnlyList<ClinicCluster.Audit.AuditEvent> audited = [];
        while (audited.Count(e => e.Operation.StartsWith("Waitlist", StringComparison.Ordinal)) < 2 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
            audited = (await fixture.AllAsync(clinic.Id)).Select(r => r.Event).ToList();
        }

        Assert.Contains(audited, e => e.Operation == "WaitlistMade" && e.PatientId == waiting && e.ResourceId == offer.Str("id") && e.Actor.Subject == "system:waitlist");
        Assert.Contains(audited, e => e.Operation == "WaitlistAccepted" && e.PatientId == waiting);
        Assert.Contains(audited, e => e.Operation == "JoinWaitlist" && e.PatientId == waiting && e.HttpStatus == 201);
        Assert.Contains(audited, e => e.Operation == "ListWaitlist" && e.DisclosedPatientIds!.Contains(waiting));
        Assert.Contains(audited, e => e.Operation == "AcceptWaitlistOffer" && e.PatientId == waiting);
        Assert.Empty(_proxy.Mismatches);
    }

    [Fact]
    public async Task A_series_is_all_or_nothing_by_default_books_what_is_free_on_request_and_cancels_this_and_following()
    {
        var clinic = await fixture.CreateClinicAsync();
        var patient = await fixture.RegisterPatientAsync(clinic.Id);
        var other = await fixture.RegisterPatientAsync(clinic.Id);
        var start = NewYork(4, 9);
        await fixture.BookAsync(clinic, other, start.AddDays(7));
        object Body(string mode) => new { patientId = patient, providerId = clinic.ProviderId, appointmentType = Checkup, start = Iso(start), rule = "FREQ=WEEKLY;COUNT=3", mode };

        using var refused = await Api.PostAsync($"{clinic.Path}/series", Admin, Body("all-or-nothing"));
        var problem = await refused.ExpectProblemAsync(HttpStatusCode.Conflict, "series-conflict");
        Assert.Equal(NewYorkDate(start.AddDays(7)), problem.GetProperty("conflicts")[0].Str("date"));
        using var stillFree = await Api.GetAsync($"{clinic.Path}/providers/{clinic.ProviderId}/appointments?date={NewYorkDate(start)}", Admin);
        Assert.Empty((await stillFree.ExpectAsync(HttpStatusCode.OK)).GetProperty("items").EnumerateArray());

        using var partial = await Api.PostAsync($"{clinic.Path}/series", Admin, Body("book-what-is-free"), idempotencyKey: "course-1");
        var created = await partial.ExpectAsync(HttpStatusCode.Created);
        using var retried = await Api.PostAsync($"{clinic.Path}/series", Admin, Body("book-what-is-free"), idempotencyKey: "course-1");
        var series = created.GetProperty("series");
        Assert.Equal(series.Str("id"), (await retried.ExpectAsync(HttpStatusCode.Created)).GetProperty("series").Str("id"));
        Assert.Equal(NewYorkDate(start.AddDays(7)), created.GetProperty("skipped")[0].Str("date"));
        Assert.Equal(["booked", "skipped", "booked"], series.GetProperty("occurrences").EnumerateArray().Select(o => o.Str("status")));

        using var cancelled = await Api.PostAsync($"{clinic.Path}/series/{series.Str("id")}/cancel", Admin, new { fromIndex = 1, reasonCode = "patient-request" });
        var after = await cancelled.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(["booked", "skipped", "cancelled"], after.GetProperty("occurrences").EnumerateArray().Select(o => o.Str("status")));
        using var read = await Api.GetAsync($"{clinic.Path}/series/{series.Str("id")}", Admin);
        await read.ExpectAsync(HttpStatusCode.OK);
        using var frontDeskAuditor = await Api.PostAsync($"{clinic.Path}/series", ApiFixture.Token("auditor", clinic.Id), Body("all-or-nothing"));
        await frontDeskAuditor.ExpectAsync(HttpStatusCode.Forbidden);
        Assert.Empty(_proxy.Mismatches);
    }

    private static async Task Expect400Async(HttpResponseMessage response, string field)
    {
        if (field.Length > 0)
        {
            await response.ExpectValidationAsync(field);
        }
        else
        {
            await response.ExpectProblemAsync(HttpStatusCode.BadRequest);
        }
    }
}
