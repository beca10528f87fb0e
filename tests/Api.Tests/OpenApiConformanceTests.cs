using System.Net;
using System.Text;
using System.Text.Json;
using ClinicCluster.Api.Auth;
using static ClinicCluster.Api.Tests.TestData;

namespace ClinicCluster.Api.Tests;

/// <summary>
/// Issue 26: every response of the README's curl flow and of its error cases, seen through a
/// validating proxy, matches the API's own OpenAPI document (status declared, JSON body valid
/// against the declared schema).
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class OpenApiConformanceTests(ApiFixture fixture) : IDisposable
{
    private static readonly string Admin = ApiFixture.AdminToken;

    private readonly ValidatingProxyHandler _proxy = new();
    private ApiClient? _api;

    private ApiClient Api => _api ??= new ApiClient(fixture.Factory.CreateDefaultClient(_proxy));

    public void Dispose() => _api?.Http.Dispose();

    [Fact]
    public async Task Readme_flow_and_its_error_cases_match_the_openapi_document()
    {
        var clinic = await fixture.CreateClinicAsync();
        var path = clinic.Path;

        // The README flow: register, availability, book with an Idempotency-Key, reschedule, cancel, list.
        using var registered = await Api.PostAsync($"{path}/patients", Admin, PatientBody());
        var patientId = (await registered.ExpectAsync(HttpStatusCode.Created)).Str("id");
        var day = NewYork(7, 10);
        var date = NewYorkDate(day);
        using var slots = await Api.GetAsync($"{path}/providers/{clinic.ProviderId}/availability?from={date}&to={date}&type={Checkup}", Admin);
        await slots.ExpectAsync(HttpStatusCode.OK);
        using var booked = await Api.PostAsync($"{path}/appointments", Admin, BookingBody(patientId, clinic.ProviderId, day), "first-visit-" + date + clinic.Id);
        var appointmentId = (await booked.ExpectAsync(HttpStatusCode.Created)).Str("id");
        using var retried = await Api.PostAsync($"{path}/appointments", Admin, BookingBody(patientId, clinic.ProviderId, day), "first-visit-" + date + clinic.Id);
        await retried.ExpectAsync(HttpStatusCode.Created);
        using var fetched = await Api.GetAsync($"{path}/appointments/{appointmentId}", Admin);
        await fetched.ExpectAsync(HttpStatusCode.OK);

        // Checking in a visit a week ahead: not open yet.
        using var early = await Api.SendAsync(HttpMethod.Post, $"{path}/appointments/{appointmentId}/check-in", Admin);
        await early.ExpectProblemAsync(HttpStatusCode.Conflict, "check-in-not-open");

        using var moved = await Api.PostAsync($"{path}/appointments/{appointmentId}/reschedule", Admin, new { start = Iso(NewYork(7, 11)) });
        await moved.ExpectAsync(HttpStatusCode.OK);

        // Another patient on the taken slot: a conflict.
        using var other = await Api.PostAsync($"{path}/patients", Admin, PatientBody());
        var otherPatient = (await other.ExpectAsync(HttpStatusCode.Created)).Str("id");
        using var taken = await Api.PostAsync($"{path}/appointments", Admin, BookingBody(otherPatient, clinic.ProviderId, NewYork(7, 11)));
        await taken.ExpectProblemAsync(HttpStatusCode.Conflict);

        using var cancelled = await Api.PostAsync($"{path}/appointments/{appointmentId}/cancel", Admin, new { reason = "patient called" });
        await cancelled.ExpectAsync(HttpStatusCode.OK);
        using var listed = await Api.GetAsync($"{path}/patients/{patientId}/appointments", Admin);
        await listed.ExpectAsync(HttpStatusCode.OK);
        using var providerDay = await Api.GetAsync($"{path}/providers/{clinic.ProviderId}/appointments?date={date}", Admin);
        await providerDay.ExpectAsync(HttpStatusCode.OK);

        // The clinic shows its visit-time policy.
        using var clinicView = await Api.GetAsync(path, Admin);
        var policy = (await clinicView.ExpectAsync(HttpStatusCode.OK)).GetProperty("settings").GetProperty("policy");
        Assert.Equal(JsonValueKind.Number, policy.GetProperty("checkInOpensMinutes").ValueKind);
        Assert.Equal(JsonValueKind.Number, policy.GetProperty("noShowGraceMinutes").ValueKind);

        // 400: a bad body, a body that is not JSON, a bad date.
        using var badBody = await Api.PostAsync($"{path}/appointments", Admin, new { patientId, providerId = clinic.ProviderId, appointmentType = Checkup, start = "tomorrow" });
        await badBody.ExpectValidationAsync("start");
        using var brokenJson = await Api.SendRawAsync(HttpMethod.Post, $"{path}/appointments", Admin, "{\"patientId\":");
        await brokenJson.ExpectProblemAsync(HttpStatusCode.BadRequest);
        using var badDate = await Api.GetAsync($"{path}/providers/{clinic.ProviderId}/availability?from=not-a-date&to={date}&type={Checkup}", Admin);
        await badDate.ExpectProblemAsync(HttpStatusCode.BadRequest);
        using var badListDate = await Api.GetAsync($"{path}/providers/{clinic.ProviderId}/appointments?date=31-12-2026", Admin);
        await badListDate.ExpectProblemAsync(HttpStatusCode.BadRequest);

        // 401, 403, 404.
        using var anonymous = await Api.GetAsync($"{path}/appointments/{appointmentId}", token: null);
        await anonymous.ExpectAsync(HttpStatusCode.Unauthorized);
        using var auditor = await Api.PostAsync($"{path}/appointments", ApiFixture.Token(Roles.Auditor, clinic.Id), BookingBody(patientId, clinic.ProviderId, NewYork(8, 10)));
        await auditor.ExpectAsync(HttpStatusCode.Forbidden);
        using var otherClinic = await Api.GetAsync($"{path}/appointments/{appointmentId}", ApiFixture.Token(Roles.Admin, NewClinicId()));
        await otherClinic.ExpectAsync(HttpStatusCode.Forbidden);
        using var unknownAppointment = await Api.GetAsync($"{path}/appointments/apt-unknown", Admin);
        await unknownAppointment.ExpectProblemAsync(HttpStatusCode.NotFound);
        using var unknownCancel = await Api.PostAsync($"{path}/appointments/apt-unknown/cancel", Admin, new { reason = "x" });
        await unknownCancel.ExpectProblemAsync(HttpStatusCode.NotFound);
        using var unknownPatient = await Api.GetAsync($"{path}/patients/pat-unknown", Admin);
        await unknownPatient.ExpectProblemAsync(HttpStatusCode.NotFound);
        using var unknownPatientList = await Api.GetAsync($"{path}/patients/pat-unknown/appointments", Admin);
        await unknownPatientList.ExpectProblemAsync(HttpStatusCode.NotFound);
        using var unknownClinic = await Api.GetAsync($"/api/clinics/{NewClinicId()}", Admin);
        await unknownClinic.ExpectProblemAsync(HttpStatusCode.NotFound);

        // 415: the booking as text.
        using var asText = await Api.SendAsync(HttpMethod.Post, $"{path}/appointments", Admin,
            new StringContent(JsonSerializer.Serialize(BookingBody(patientId, clinic.ProviderId, NewYork(8, 10))), Encoding.UTF8, "text/plain"));
        await asText.ExpectAsync(HttpStatusCode.UnsupportedMediaType);

        AssertConforms(minimumChecked: 25);
    }

    [Fact]
    public async Task Visit_time_problems_and_the_checked_in_cancellation_match_the_openapi_document()
    {
        // No minimum notice and a provider working all day where it is now about noon: a visit 75 to 90
        // minutes from now can be checked in (the window opens two hours before) but not completed yet.
        var clinic = await fixture.CreateClinicOpenNowAsync();
        var path = clinic.Path;
        using var registered = await Api.PostAsync($"{path}/patients", Admin, PatientBody());
        var patientId = (await registered.ExpectAsync(HttpStatusCode.Created)).Str("id");
        var now = DateTimeOffset.UtcNow;
        var soon = new DateTimeOffset(now.Ticks - now.Ticks % TimeSpan.FromMinutes(15).Ticks, TimeSpan.Zero).AddMinutes(90);
        using var booked = await Api.PostAsync($"{path}/appointments", Admin, BookingBody(patientId, clinic.ProviderId, soon));
        var appointmentId = (await booked.ExpectAsync(HttpStatusCode.Created)).Str("id");

        using var noShow = await Api.SendAsync(HttpMethod.Post, $"{path}/appointments/{appointmentId}/no-show", Admin);
        await noShow.ExpectProblemAsync(HttpStatusCode.Conflict, "not-started");
        using var completeBooked = await Api.SendAsync(HttpMethod.Post, $"{path}/appointments/{appointmentId}/complete", Admin);
        await completeBooked.ExpectProblemAsync(HttpStatusCode.Conflict);
        using var checkedIn = await Api.SendAsync(HttpMethod.Post, $"{path}/appointments/{appointmentId}/check-in", Admin);
        Assert.Equal("checked-in", (await checkedIn.ExpectAsync(HttpStatusCode.OK)).Str("status"));
        using var complete = await Api.SendAsync(HttpMethod.Post, $"{path}/appointments/{appointmentId}/complete", Admin);
        await complete.ExpectProblemAsync(HttpStatusCode.Conflict, "not-started");

        using var withoutCode = await Api.PostAsync($"{path}/appointments/{appointmentId}/cancel", Admin, new { reason = "left" });
        await withoutCode.ExpectValidationAsync("reasonCode");
        using var badCode = await Api.PostAsync($"{path}/appointments/{appointmentId}/cancel", Admin, new { reasonCode = "bored" });
        await badCode.ExpectProblemAsync(HttpStatusCode.BadRequest);
        using var withCode = await Api.PostAsync($"{path}/appointments/{appointmentId}/cancel", Admin, new { reasonCode = "patient-left" });
        Assert.Equal("cancelled", (await withCode.ExpectAsync(HttpStatusCode.OK)).Str("status"));
        using var again = await Api.SendAsync(HttpMethod.Post, $"{path}/appointments/{appointmentId}/check-in", Admin);
        await again.ExpectProblemAsync(HttpStatusCode.Conflict, "invalid-transition");
        using var fetched = await Api.GetAsync($"{path}/appointments/{appointmentId}", Admin);
        await fetched.ExpectAsync(HttpStatusCode.OK);

        AssertConforms(minimumChecked: 11);
    }

    [Fact]
    public async Task The_served_document_rejects_a_tampered_appointment_and_an_undeclared_status()
    {
        using var served = await fixture.Api.GetAsync(ValidatingProxyHandler.DocumentPath, token: null);
        var validator = new OpenApiResponseValidator(await served.ExpectAsync(HttpStatusCode.OK));
        var clinic = await fixture.CreateClinicAsync();
        var appointment = await fixture.BookAsync(clinic, await fixture.RegisterPatientAsync(clinic.Id), NewYork(6, 10));
        var path = $"{clinic.Path}/appointments/{appointment.Str("id")}";
        Assert.Empty(validator.Validate(HttpMethod.Get, path, 200, "application/json", appointment.GetRawText()));

        var tampered = System.Text.Json.Nodes.JsonNode.Parse(appointment.GetRawText())!.AsObject();
        tampered.Remove("id");
        tampered["status"] = "lost";
        tampered["cancellationCode"] = "bored";
        tampered["start"] = 5;
        var mismatches = validator.Validate(HttpMethod.Get, path, 200, "application/json", tampered.ToJsonString());
        Assert.Equal(["$", "$.cancellationCode", "$.start", "$.status"], mismatches.Select(m => m.JsonPath).Order(StringComparer.Ordinal));
        Assert.All(mismatches, m => Assert.Equal("GET /api/clinics/{clinicId}/appointments/{appointmentId} (GetAppointment)", m.Operation));

        var teapot = Assert.Single(validator.Validate(HttpMethod.Get, path, 418, "application/problem+json", """{"status":418}"""));
        Assert.Contains("418 is not declared", teapot.Message, StringComparison.Ordinal);
    }

    private void AssertConforms(int minimumChecked)
    {
        Assert.True(_proxy.Checked >= minimumChecked, $"Only {_proxy.Checked} responses went through the validating proxy.");
        var mismatches = _proxy.Mismatches.ToArray();
        Assert.True(mismatches.Length == 0,
            $"{mismatches.Length} response(s) differ from /openapi/v1.json:\n" + string.Join("\n", mismatches.Select(m => m.ToString())));
    }
}
