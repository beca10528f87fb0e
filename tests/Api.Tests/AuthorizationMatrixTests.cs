using System.Net;
using ClinicCluster.Api.Auth;
using static ClinicCluster.Api.Tests.TestData;

namespace ClinicCluster.Api.Tests;

[Collection(ApiCollection.Name)]
public sealed class AuthorizationMatrixTests(ApiFixture fixture)
{
    private const string Admin = "admin";
    private const string FrontDesk = "frontdesk";
    private const string Clinician = "clinician";
    private const string Auditor = "auditor";
    private const string Officer = "security-officer";

    private static readonly string[] AllRoles = [Admin, FrontDesk, Clinician, Auditor, Officer];

    /// <summary>Which roles may call each operation (by its OpenAPI operation id); everyone else gets 403.</summary>
    private static readonly Dictionary<string, string[]> Allowed = new()
    {
        ["CreateClinic"] = [Admin],
        ["GetClinic"] = [Admin, FrontDesk, Clinician, Auditor, Officer],
        ["UpdateClinic"] = [Admin],
        ["AddProvider"] = [Admin],
        ["ListProviders"] = [Admin, FrontDesk, Clinician, Auditor, Officer],
        ["GetProvider"] = [Admin, FrontDesk, Clinician, Auditor, Officer],
        ["UpdateProvider"] = [Admin],
        ["GetAvailability"] = [Admin, FrontDesk, Clinician, Auditor, Officer],
        ["RegisterPatient"] = [Admin, FrontDesk],
        ["GetPatient"] = [Admin, FrontDesk, Clinician],
        ["UpdatePatient"] = [Admin, FrontDesk],
        ["SearchPatients"] = [Admin, FrontDesk, Clinician],
        ["ListPatientAppointments"] = [Admin, FrontDesk, Clinician],
        ["BookAppointment"] = [Admin, FrontDesk],
        ["GetAppointment"] = [Admin, FrontDesk, Clinician],
        ["RescheduleAppointment"] = [Admin, FrontDesk],
        ["CancelAppointment"] = [Admin, FrontDesk],
        ["CheckInAppointment"] = [Admin, FrontDesk, Clinician],
        ["CompleteAppointment"] = [Admin, Clinician],
        ["MarkNoShow"] = [Admin, FrontDesk, Clinician],
        ["ListProviderAppointments"] = [Admin, FrontDesk, Clinician],
        ["FindClinicAvailability"] = [Admin, FrontDesk, Clinician, Auditor, Officer],
        ["PlaceHold"] = [Admin, FrontDesk],
        ["ReleaseHold"] = [Admin, FrontDesk],
        ["ListWebhookSubscriptions"] = [Admin],
        ["CreateWebhookSubscription"] = [Admin],
        ["ReplayWebhookDeadLetters"] = [Admin],
        ["JoinWaitlist"] = [Admin, FrontDesk],
        ["ListWaitlist"] = [Admin, FrontDesk, Clinician],
        ["BookSeries"] = [Admin, FrontDesk],

        // Administrators manage but do not audit: their own access is reviewed by others.
        ["ListAuditEvents"] = [Auditor, Officer],
        ["ExportDisclosures"] = [Auditor, Officer],
    };

    /// <summary>Every operation that reads or changes patients or appointments (PHI).</summary>
    private static readonly string[] PhiOperations =
    [
        "RegisterPatient", "GetPatient", "UpdatePatient", "SearchPatients", "ListPatientAppointments",
        "BookAppointment", "GetAppointment", "RescheduleAppointment", "CancelAppointment", "CheckInAppointment",
        "CompleteAppointment", "MarkNoShow", "ListProviderAppointments", "PlaceHold", "ReleaseHold",
        "JoinWaitlist", "ListWaitlist", "BookSeries",
    ];

    private readonly ApiClient _api = fixture.Api;

    public static TheoryData<string, string, bool> Matrix()
    {
        var data = new TheoryData<string, string, bool>();
        foreach (var (operation, roles) in Allowed)
        {
            foreach (var role in AllRoles)
            {
                data.Add(operation, role, roles.Contains(role));
            }
        }

        return data;
    }

    public static TheoryData<string> Operations() => [.. Allowed.Keys];

    public static TheoryData<string> Phi() => [.. PhiOperations];

    public static TheoryData<string> ClinicScopedOperations() => [.. Allowed.Keys.Where(o => o != "CreateClinic")];

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task Role_is_allowed_or_refused_per_operation(string operation, string role, bool allowed)
    {
        var call = await PrepareAsync(operation);
        using var response = await SendAsync(call, ApiFixture.Token(role, call.TokenClinic));

        if (allowed)
        {
            await response.ExpectAsync(call.Success);
        }
        else
        {
            await response.ExpectProblemAsync(HttpStatusCode.Forbidden);
        }
    }

    [Theory]
    [MemberData(nameof(Phi))]
    public async Task Auditor_gets_403_on_every_patient_and_appointment_operation(string operation)
    {
        var call = await PrepareAsync(operation);
        using var ownClinic = await SendAsync(call, ApiFixture.Token(Auditor, call.TokenClinic));
        await ownClinic.ExpectProblemAsync(HttpStatusCode.Forbidden);
        using var everyClinic = await SendAsync(call, ApiFixture.Token(Auditor, "*"));
        await everyClinic.ExpectProblemAsync(HttpStatusCode.Forbidden);
    }

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task No_token_is_401(string operation)
    {
        var call = await PrepareAsync(operation);
        using var response = await SendAsync(call, token: null);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "Bearer");
    }

    [Fact]
    public async Task No_token_on_an_unknown_clinic_is_401_not_404()
    {
        using var response = await _api.GetAsync($"/api/clinics/{NewClinicId()}", token: null);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData("expired")]
    [InlineData("wrong-key")]
    [InlineData("wrong-audience")]
    [InlineData("wrong-issuer")]
    [InlineData("garbage")]
    [InlineData("unsigned")]
    public async Task Invalid_token_is_401(string kind)
    {
        var clinic = await fixture.CreateClinicAsync();
        var token = kind switch
        {
            "expired" => DevTokenIssuer.Issue(ApiFixture.AuthOptions, "late", [Admin], ["*"], DateTimeOffset.UtcNow.AddHours(-9)),
            "wrong-key" => DevTokenIssuer.Issue(
                new AuthOptions { DevSigningKey = "another-signing-key-that-is-long-enough-0123456789", Audience = ApiFixture.Audience },
                "mallory", [Admin], ["*"], DateTimeOffset.UtcNow),
            "wrong-audience" => DevTokenIssuer.Issue(
                new AuthOptions { DevSigningKey = ApiFixture.SigningKey, Audience = "some-other-api" }, "eve", [Admin], ["*"], DateTimeOffset.UtcNow),
            "wrong-issuer" => ForgedIssuerToken(),
            "unsigned" => Unsigned(DevTokenIssuer.Issue(ApiFixture.AuthOptions, "eve", [Admin], ["*"], DateTimeOffset.UtcNow)),
            _ => "not-a-jwt",
        };

        using var get = await _api.GetAsync(clinic.Path, token);
        Assert.Equal(HttpStatusCode.Unauthorized, get.StatusCode);
        using var post = await _api.PostAsync($"{clinic.Path}/patients", token, PatientBody());
        Assert.Equal(HttpStatusCode.Unauthorized, post.StatusCode);
    }

    [Fact]
    public async Task Token_without_a_known_role_or_without_clinics_is_403()
    {
        var clinic = await fixture.CreateClinicAsync();

        var noRole = DevTokenIssuer.Issue(ApiFixture.AuthOptions, "nobody", [], [clinic.Id], DateTimeOffset.UtcNow);
        using var first = await _api.GetAsync(clinic.Path, noRole);
        await first.ExpectProblemAsync(HttpStatusCode.Forbidden);

        var unknownRole = DevTokenIssuer.Issue(ApiFixture.AuthOptions, "janitor", ["janitor", "ADMIN"], [clinic.Id], DateTimeOffset.UtcNow);
        using var second = await _api.GetAsync(clinic.Path, unknownRole);
        await second.ExpectProblemAsync(HttpStatusCode.Forbidden);

        var noClinic = DevTokenIssuer.Issue(ApiFixture.AuthOptions, "drifter", [Admin], [], DateTimeOffset.UtcNow);
        using var third = await _api.GetAsync(clinic.Path, noClinic);
        await third.ExpectProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_token_naming_several_clinics_works_in_each_of_them()
    {
        var first = await fixture.CreateClinicAsync();
        var second = await fixture.CreateClinicAsync();
        var third = await fixture.CreateClinicAsync();
        var token = ApiFixture.Token(FrontDesk, first.Id, second.Id);

        using var a = await _api.GetAsync(first.Path, token);
        await a.ExpectAsync(HttpStatusCode.OK);
        using var b = await _api.GetAsync(second.Path, token);
        await b.ExpectAsync(HttpStatusCode.OK);
        using var c = await _api.GetAsync(third.Path, token);
        await c.ExpectProblemAsync(HttpStatusCode.Forbidden);
    }

    [Theory]
    [MemberData(nameof(ClinicScopedOperations))]
    public async Task Cross_clinic_access_is_403_and_does_not_reveal_whether_the_clinic_exists(string operation)
    {
        var home = await fixture.CreateClinicAsync();
        var call = await PrepareAsync(operation);
        var missingClinic = NewClinicId();
        var missing = call with { Path = call.Path.Replace(call.TokenClinic, missingClinic, StringComparison.Ordinal) };

        // An administrator of another clinic: the role allows everything, the clinic does not.
        var token = ApiFixture.Token(Admin, home.Id);
        using var existing = await SendAsync(call, token);
        using var absent = await SendAsync(missing, token);

        var existingBody = await existing.ExpectProblemAsync(HttpStatusCode.Forbidden);
        var absentBody = await absent.ExpectProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(Responses.WithoutTraceId(existingBody), Responses.WithoutTraceId(absentBody));
        Assert.Equal(
            existing.Headers.Select(h => h.Key).Order(StringComparer.OrdinalIgnoreCase),
            absent.Headers.Select(h => h.Key).Order(StringComparer.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Creating_a_clinic_the_token_does_not_name_is_403_whether_or_not_it_exists()
    {
        var existing = await fixture.CreateClinicAsync();
        var token = ApiFixture.Token(Admin, NewClinicId());

        using var taken = await _api.PostAsync("/api/clinics", token, ClinicBody(existing.Id));
        using var free = await _api.PostAsync("/api/clinics", token, ClinicBody(NewClinicId()));

        var takenBody = await taken.ExpectProblemAsync(HttpStatusCode.Forbidden);
        var freeBody = await free.ExpectProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(Responses.WithoutTraceId(takenBody), Responses.WithoutTraceId(freeBody));
    }

    [Fact]
    public async Task A_role_applies_only_in_the_clinic_that_grants_it()
    {
        var a = await fixture.CreateClinicAsync();
        var b = await fixture.CreateClinicAsync();
        var token = DevTokenIssuer.Issue(ApiFixture.AuthOptions, "mixed", [(a.Id, FrontDesk), (b.Id, Admin)], DateTimeOffset.UtcNow);
        var settings = new
        {
            name = "Renamed",
            timeZone = NewYorkZoneId,
            appointmentTypes = new[] { new { name = Checkup, durationMinutes = 30, bufferMinutes = 10 } },
            policy = DefaultPolicy(),
        };

        // Front desk in A: reads and registers, but the admin grant of B does not reach A.
        using var readA = await _api.GetAsync(a.Path, token);
        await readA.ExpectAsync(HttpStatusCode.OK);
        using var manageA = await _api.PutAsync(a.Path, token, settings);
        await manageA.ExpectProblemAsync(HttpStatusCode.Forbidden);
        using var providerA = await _api.PostAsync($"{a.Path}/providers", token, ProviderBody());
        await providerA.ExpectProblemAsync(HttpStatusCode.Forbidden);
        using var registerA = await _api.PostAsync($"{a.Path}/patients", token, PatientBody());
        await registerA.ExpectAsync(HttpStatusCode.Created);

        // Admin in B.
        using var manageB = await _api.PutAsync(b.Path, token, settings);
        await manageB.ExpectAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_grant_for_every_clinic_combines_with_a_grant_for_one()
    {
        var a = await fixture.CreateClinicAsync();
        var patient = await fixture.RegisterPatientAsync(a.Id);
        var token = DevTokenIssuer.Issue(ApiFixture.AuthOptions, "reviewer", [("*", Auditor), (a.Id, Clinician)], DateTimeOffset.UtcNow);
        var other = await fixture.CreateClinicAsync();

        using var chart = await _api.GetAsync($"{a.Path}/patients/{patient}", token);
        await chart.ExpectAsync(HttpStatusCode.OK);
        using var trail = await _api.GetAsync($"{other.Path}/audit/events", token);
        await trail.ExpectAsync(HttpStatusCode.OK);
        var otherPatient = await fixture.RegisterPatientAsync(other.Id);
        using var otherChart = await _api.GetAsync($"{other.Path}/patients/{otherPatient}", token);
        await otherChart.ExpectProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Role_and_clinic_claims_without_clinic_roles_grant_nothing()
    {
        var clinic = await fixture.CreateClinicAsync();
        var descriptor = new Microsoft.IdentityModel.Tokens.SecurityTokenDescriptor
        {
            Issuer = AuthOptions.DevIssuer,
            Audience = ApiFixture.Audience,
            Claims = new Dictionary<string, object> { ["sub"] = "legacy", ["role"] = Admin, ["clinic"] = "*" },
            Expires = DateTime.UtcNow.AddHours(1),
            SigningCredentials = new Microsoft.IdentityModel.Tokens.SigningCredentials(
                DevTokenIssuer.Key(ApiFixture.SigningKey), Microsoft.IdentityModel.Tokens.SecurityAlgorithms.HmacSha256),
        };
        var token = new Microsoft.IdentityModel.JsonWebTokens.JsonWebTokenHandler().CreateToken(descriptor);

        using var response = await _api.GetAsync(clinic.Path, token);
        await response.ExpectProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Front_desk_sees_no_clinical_text_in_appointments_and_clinicians_do()
    {
        var clinic = await fixture.CreateClinicAsync();
        var patient = await fixture.RegisterPatientAsync(clinic.Id);
        var frontDesk = ApiFixture.Token(FrontDesk, clinic.Id);
        var clinician = ApiFixture.Token(Clinician, clinic.Id);

        using var booked = await _api.PostAsync($"{clinic.Path}/appointments", frontDesk, BookingBody(patient, clinic.ProviderId, NewYork(10, 10)));
        var bookedBody = await booked.ExpectAsync(HttpStatusCode.Created);
        var id = bookedBody.Str("id");
        Assert.Null(Text(bookedBody, "reason"));
        using var cancelled = await _api.PostAsync($"{clinic.Path}/appointments/{id}/cancel", frontDesk, new { reason = "Patient prefers another doctor" });
        var cancelledBody = await cancelled.ExpectAsync(HttpStatusCode.OK);
        Assert.Null(Text(cancelledBody, "cancellationReason"));
        Assert.Equal("cancelled", cancelledBody.Str("status"));

        using var asFrontDesk = await _api.GetAsync($"{clinic.Path}/appointments/{id}", frontDesk);
        var hidden = await asFrontDesk.ExpectAsync(HttpStatusCode.OK);
        Assert.Null(Text(hidden, "reason"));
        Assert.Null(Text(hidden, "cancellationReason"));
        Assert.Equal(patient, hidden.Str("patientId"));

        using var asClinician = await _api.GetAsync($"{clinic.Path}/appointments/{id}", clinician);
        var shown = await asClinician.ExpectAsync(HttpStatusCode.OK);
        Assert.False(string.IsNullOrEmpty(shown.Str("reason")));
        Assert.Equal("Patient prefers another doctor", shown.Str("cancellationReason"));
    }

    private Task<HttpResponseMessage> SendAsync(Call call, string? token) =>
        _api.SendAsync(call.Method, call.Path, token, call.Body is null ? null : ApiClient.JsonBody(call.Body));

    /// <summary>A fresh clinic (and patient, appointment) prepared as an administrator, and the call to make.</summary>
    private async Task<Call> PrepareAsync(string operation)
    {
        if (operation == "CreateClinic")
        {
            var id = NewClinicId();
            return new Call(HttpMethod.Post, "/api/clinics", ClinicBody(id), HttpStatusCode.Created, id);
        }

        var clinic = await fixture.CreateClinicAsync();
        var c = clinic.Path;
        var p = $"{c}/providers/{clinic.ProviderId}";
        var date = NewYorkDate(NewYork(10, 10));
        Call Make(HttpMethod method, string path, object? body, HttpStatusCode success) => new(method, path, body, success, clinic.Id);

        switch (operation)
        {
            case "GetClinic": return Make(HttpMethod.Get, c, null, HttpStatusCode.OK);
            case "UpdateClinic":
                return Make(HttpMethod.Put, c, new
                {
                    name = "Updated",
                    timeZone = NewYorkZoneId,
                    appointmentTypes = new[] { new { name = Checkup, durationMinutes = 30, bufferMinutes = 10 } },
                    policy = DefaultPolicy(),
                }, HttpStatusCode.OK);
            case "AddProvider": return Make(HttpMethod.Post, $"{c}/providers", ProviderBody(), HttpStatusCode.Created);
            case "ListProviders": return Make(HttpMethod.Get, $"{c}/providers", null, HttpStatusCode.OK);
            case "GetProvider": return Make(HttpMethod.Get, p, null, HttpStatusCode.OK);
            case "UpdateProvider": return Make(HttpMethod.Put, p, ProviderBody("Dr. Updated"), HttpStatusCode.OK);
            case "GetAvailability": return Make(HttpMethod.Get, $"{p}/availability?from={date}&to={date}&type=checkup", null, HttpStatusCode.OK);
            case "RegisterPatient": return Make(HttpMethod.Post, $"{c}/patients", PatientBody(), HttpStatusCode.Created);
            case "SearchPatients": return Make(HttpMethod.Get, $"{c}/patients?name=alex", null, HttpStatusCode.OK);
            case "ListProviderAppointments": return Make(HttpMethod.Get, $"{p}/appointments?date={date}", null, HttpStatusCode.OK);
            case "ListAuditEvents": return Make(HttpMethod.Get, $"{c}/audit/events", null, HttpStatusCode.OK);
            case "FindClinicAvailability": return Make(HttpMethod.Get, $"{c}/availability?from={date}&to={date}&type=checkup", null, HttpStatusCode.OK);
            case "ListWebhookSubscriptions": return Make(HttpMethod.Get, $"{c}/webhooks", null, HttpStatusCode.OK);

            // The suite's silo keeps the SSRF guard on: an allowed caller reaches it (400), not the door.
            case "CreateWebhookSubscription":
                return Make(HttpMethod.Post, $"{c}/webhooks", new { url = "https://127.0.0.1/hook", eventTypes = new[] { "appointment.booked" } },
                    HttpStatusCode.BadRequest);
            case "ReplayWebhookDeadLetters": return Make(HttpMethod.Post, $"{c}/webhooks/whk-0123456789abcdef/replay", null, HttpStatusCode.NotFound);
            case "ListWaitlist": return Make(HttpMethod.Get, $"{c}/waitlist", null, HttpStatusCode.OK);
            default: break;
        }

        var patient = await fixture.RegisterPatientAsync(clinic.Id);
        switch (operation)
        {
            case "GetPatient": return Make(HttpMethod.Get, $"{c}/patients/{patient}", null, HttpStatusCode.OK);
            case "UpdatePatient": return Make(HttpMethod.Put, $"{c}/patients/{patient}", PatientBody(), HttpStatusCode.OK);
            case "ListPatientAppointments": return Make(HttpMethod.Get, $"{c}/patients/{patient}/appointments", null, HttpStatusCode.OK);
            case "ExportDisclosures": return Make(HttpMethod.Get, $"{c}/audit/patients/{patient}/disclosures", null, HttpStatusCode.OK);
            case "BookAppointment": return Make(HttpMethod.Post, $"{c}/appointments", BookingBody(patient, clinic.ProviderId, NewYork(10, 10)), HttpStatusCode.Created);
            case "JoinWaitlist":
                return Make(HttpMethod.Post, $"{c}/waitlist", new { patientId = patient, appointmentType = Checkup, from = date, to = date }, HttpStatusCode.Created);
            case "BookSeries":
                return Make(HttpMethod.Post, $"{c}/series", new { patientId = patient, providerId = clinic.ProviderId, appointmentType = Checkup, start = Iso(NewYork(10, 10)), rule = "FREQ=WEEKLY;COUNT=2" },
                    HttpStatusCode.Created);
            case "PlaceHold":
                return Make(HttpMethod.Post, $"{c}/holds", new { patientId = patient, providerId = clinic.ProviderId, appointmentType = Checkup, start = Iso(NewYork(10, 10)) },
                    HttpStatusCode.Created);
            case "ReleaseHold":
                using (var held = await _api.PostAsync($"{c}/holds", ApiFixture.AdminToken,
                    new { patientId = patient, providerId = clinic.ProviderId, appointmentType = Checkup, start = Iso(NewYork(10, 10)) }))
                {
                    var holdId = (await held.ExpectAsync(HttpStatusCode.Created)).Str("id");
                    return Make(HttpMethod.Delete, $"{c}/holds/{holdId}", null, HttpStatusCode.NoContent);
                }

            default: break;
        }

        var appointment = (await fixture.BookAsync(clinic, patient, NewYork(10, 10))).Str("id");
        var a = $"{c}/appointments/{appointment}";
        switch (operation)
        {
            case "GetAppointment": return Make(HttpMethod.Get, a, null, HttpStatusCode.OK);
            case "RescheduleAppointment": return Make(HttpMethod.Post, $"{a}/reschedule", new { start = Iso(NewYork(11, 10)) }, HttpStatusCode.OK);
            case "CancelAppointment": return Make(HttpMethod.Post, $"{a}/cancel", new { reason = "Travelling" }, HttpStatusCode.OK);

            // The visit is ten days ahead: an allowed caller reaches the time rule (check-in not open,
            // not started) or the transition rule (not checked in), not the door.
            case "CheckInAppointment": return Make(HttpMethod.Post, $"{a}/check-in", null, HttpStatusCode.Conflict);
            case "MarkNoShow": return Make(HttpMethod.Post, $"{a}/no-show", null, HttpStatusCode.Conflict);
            case "CompleteAppointment": return Make(HttpMethod.Post, $"{a}/complete", null, HttpStatusCode.Conflict);
            default: throw new ArgumentOutOfRangeException(nameof(operation), operation, "Unknown operation.");
        }
    }

    /// <summary>A token signed with the right key but claiming another issuer.</summary>
    private static string ForgedIssuerToken()
    {
        var descriptor = new Microsoft.IdentityModel.Tokens.SecurityTokenDescriptor
        {
            Issuer = "someone-else",
            Audience = ApiFixture.Audience,
            Claims = new Dictionary<string, object> { ["sub"] = "eve", [ClinicClaims.ClinicRoles] = "*:" + Admin },
            Expires = DateTime.UtcNow.AddHours(1),
            SigningCredentials = new Microsoft.IdentityModel.Tokens.SigningCredentials(
                DevTokenIssuer.Key(ApiFixture.SigningKey), Microsoft.IdentityModel.Tokens.SecurityAlgorithms.HmacSha256),
        };
        return new Microsoft.IdentityModel.JsonWebTokens.JsonWebTokenHandler().CreateToken(descriptor);
    }

    /// <summary>The same claims with the signature stripped and "alg": "none".</summary>
    private static string Unsigned(string token)
    {
        var parts = token.Split('.');
        var header = Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode("{\"alg\":\"none\",\"typ\":\"JWT\"}");
        return $"{header}.{parts[1]}.";
    }

    /// <summary>A string member, or null when it is null or absent.</summary>
    private static string? Text(System.Text.Json.JsonElement json, string name) =>
        json.TryGetProperty(name, out var value) && value.ValueKind == System.Text.Json.JsonValueKind.String ? value.GetString() : null;

    private sealed record Call(HttpMethod Method, string Path, object? Body, HttpStatusCode Success, string TokenClinic);
}
