using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using ClinicCluster.Api.Auth;
using ClinicCluster.Audit;
using Hl7.Fhir.Model;
using Hl7.Fhir.Rest;

namespace ClinicCluster.Fhir.Tests;

/// <summary>
/// Effective access on every FHIR route = token scopes ∩ the caller's role in the clinic, for every
/// role and a set of scope strings (none, non-resource, narrow, wildcard, and those we refuse).
/// The expectation is written here from the SMART letters and the native permission table, not
/// computed by the code under test.
/// </summary>
[Collection(FhirCollection.Name)]
public sealed class ScopeMatrixTests(FhirFixture fixture)
{
    // What each route needs: its scope letter on its resource type, and which roles hold its native permission.
    private static readonly string[] PhiRoles = [Roles.Admin, Roles.FrontDesk, Roles.Clinician];

    private static readonly (string Name, string Type, char Letter, string[] Roles)[] Routes =
    [
        ("read Patient", "Patient", 'r', PhiRoles),
        ("search Patient", "Patient", 's', PhiRoles),
        ("POST Patient/_search", "Patient", 's', PhiRoles),
        ("read Appointment", "Appointment", 'r', PhiRoles),
        ("read Practitioner", "Practitioner", 'r', [.. Roles.All]),
        ("read Schedule", "Schedule", 'r', [.. Roles.All]),
        ("search Practitioner", "Practitioner", 's', [.. Roles.All]),
        ("search Slot", "Slot", 's', [.. Roles.All]),
        ("read Organization", "Organization", 'r', [.. Roles.All]),
    ];

    private static readonly string?[] ScopeSets =
    [
        null,
        "openid fhirUser offline_access",
        "user/Patient.r",
        "user/Patient.s",
        "user/Patient.rs",
        "user/Appointment.rs user/Practitioner.r",
        "user/Schedule.rs user/Patient.c",
        "user/*.rs",
        "user/*.cud",
        "user/*.rs patient/Patient.rs",
        "system/*.rs",
        "user/*.rs user/Patient.rs?identifier=x",
        "user/*.read",
    ];

    [Fact]
    public async System.Threading.Tasks.Task Every_role_scope_and_route_gets_exactly_the_intersection()
    {
        var (clinicId, providerId) = await fixture.ClinicAsync();
        var patientId = await fixture.PatientAsync(clinicId, NativeSetup.NewMrn());
        var appointmentId = await fixture.BookAsync(clinicId, providerId, patientId);
        var failures = new List<string>();
        foreach (var role in Roles.All)
        {
            foreach (var scopes in ScopeSets)
            {
                var token = scopes is null
                    ? FhirFixture.Tokens.Token(role, clinicId)
                    : FhirFixture.Tokens.ScopedToken(role, [scopes], clinicId);
                foreach (var route in Routes)
                {
                    var expected = route.Roles.Contains(role) && ScopeAllows(scopes, route.Type, route.Letter) ? HttpStatusCode.OK : HttpStatusCode.Forbidden;
                    using var response = await SendAsync(Request(route.Name, clinicId, patientId, appointmentId, providerId), token);
                    if (response.StatusCode != expected)
                    {
                        failures.Add($"{role} / '{scopes}' / {route.Name}: {(int)response.StatusCode}, expected {(int)expected}");
                    }
                    else if (expected == HttpStatusCode.Forbidden)
                    {
                        await ConformanceTests.ExpectOutcomeAsync(response, HttpStatusCode.Forbidden, OperationOutcome.IssueType.Forbidden);
                    }
                }
            }
        }

        Assert.Empty(failures);
    }

    [Fact]
    public async System.Threading.Tasks.Task A_missing_scope_is_named_in_the_outcome_and_audited_as_denied()
    {
        var (clinicId, _) = await fixture.ClinicAsync();
        var patientId = await fixture.PatientAsync(clinicId, NativeSetup.NewMrn());
        var marker = "fhir-scope-" + Guid.NewGuid().ToString("N")[..8];
        var token = FhirFixture.Tokens.ScopedToken(Roles.FrontDesk, ["user/Patient.s"], clinicId);

        using var response = await SendAsync(Request("read Patient", clinicId, patientId, "", ""), token, marker);

        var outcome = await ConformanceTests.ExpectOutcomeAsync(response, HttpStatusCode.Forbidden, OperationOutcome.IssueType.Forbidden);
        Assert.Contains("user/Patient.r", outcome.Issue[0].Diagnostics, StringComparison.Ordinal);
        Assert.Contains("insufficient_scope", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        var audit = Assert.Single(await fixture.EventsMarkedAsync(clinicId, marker));
        Assert.Equal((AuditOutcome.Denied, 403), (audit.Outcome, audit.HttpStatus));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("patient/Patient.rs system/*.rs")]
    public async System.Threading.Tasks.Task Native_routes_ignore_scopes(string? scopes)
    {
        var (clinicId, _) = await fixture.ClinicAsync();
        var patientId = await fixture.PatientAsync(clinicId, NativeSetup.NewMrn());
        var token = scopes is null ? FhirFixture.Tokens.Token(Roles.FrontDesk, clinicId) : FhirFixture.Tokens.ScopedToken(Roles.FrontDesk, [scopes], clinicId);

        using var response = await SendAsync(new HttpRequestMessage(HttpMethod.Get, $"/api/clinics/{clinicId}/patients/{patientId}"), token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async System.Threading.Tasks.Task Smart_configuration_is_anonymous_and_advertises_only_what_is_real()
    {
        var (clinicId, _) = await fixture.ClinicAsync();

        using var response = await SendAsync(new HttpRequestMessage(HttpMethod.Get, $"/fhir/clinics/{clinicId}/.well-known/smart-configuration"), token: null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(["permission-v2", "permission-user"], Strings(document, "capabilities"));

        // Computed from the routes: every type with its letters, none for a type no route serves.
        Assert.Contains("user/Patient.rs", Strings(document, "scopes_supported"));
        Assert.Contains("user/Practitioner.rs", Strings(document, "scopes_supported"));
        Assert.Contains("user/Slot.rs", Strings(document, "scopes_supported"));
        Assert.Contains("user/Location.r", Strings(document, "scopes_supported"));
        Assert.Contains("user/Organization.r", Strings(document, "scopes_supported"));
        Assert.DoesNotContain(Strings(document, "scopes_supported"), s => s.StartsWith("user/Slot.", StringComparison.Ordinal) && s != "user/Slot.rs");
        Assert.All(Strings(document, "scopes_supported"), s => Assert.StartsWith("user/", s, StringComparison.Ordinal));
        Assert.DoesNotContain(Strings(document, "scopes_supported"), s => s.Contains('d', StringComparison.Ordinal) && s.EndsWith("d", StringComparison.Ordinal));

        // Development tokens come from no authorization server: no endpoints, no grant types, no launch.
        Assert.False(document.TryGetProperty("token_endpoint", out _));
        Assert.False(document.TryGetProperty("authorization_endpoint", out _));
        Assert.Empty(Strings(document, "grant_types_supported"));
    }

    [Fact]
    public async System.Threading.Tasks.Task The_capability_statement_names_smart_on_fhir()
    {
        var (clinicId, _) = await fixture.ClinicAsync();

        var capabilities = await fixture.Client(clinicId, token: null).CapabilityStatementAsync();

        var security = capabilities!.Rest.Single().Security!;
        Assert.Equal("SMART-on-FHIR", security.Service.Single().Coding.Single().Code);
    }

    // SMART letters: a scope "user/{Type|*}.{letters}" allows a letter on a type; a token with a
    // patient/ or system/ scope, a '?' or a v1 scope is refused whole (the code's own parser is not used).
    private static bool ScopeAllows(string? scopes, string type, char letter)
    {
        var words = (scopes ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Any(w => w.StartsWith("patient/", StringComparison.Ordinal) || w.StartsWith("system/", StringComparison.Ordinal)
            || w.Contains('?', StringComparison.Ordinal) || w.EndsWith(".read", StringComparison.Ordinal)))
        {
            return false;
        }

        return words.Any(w => (w.StartsWith($"user/{type}.", StringComparison.Ordinal) || w.StartsWith("user/*.", StringComparison.Ordinal))
            && w[(w.IndexOf('.', StringComparison.Ordinal) + 1)..].Contains(letter, StringComparison.Ordinal));
    }

    private static HttpRequestMessage Request(string route, string clinicId, string patientId, string appointmentId, string providerId)
    {
        var fhir = $"/fhir/clinics/{clinicId}";
        return route switch
        {
            "read Patient" => new(HttpMethod.Get, $"{fhir}/Patient/{patientId}"),
            "search Patient" => new(HttpMethod.Get, $"{fhir}/Patient?_id={patientId}"),
            "POST Patient/_search" => new(HttpMethod.Post, $"{fhir}/Patient/_search")
            {
                Content = new FormUrlEncodedContent([new("_id", patientId)]),
            },
            "read Appointment" => new(HttpMethod.Get, $"{fhir}/Appointment/{appointmentId}"),
            "read Practitioner" => new(HttpMethod.Get, $"{fhir}/Practitioner/{providerId}"),
            "search Practitioner" => new(HttpMethod.Get, $"{fhir}/Practitioner?_id={providerId}"),
            "search Slot" => new(HttpMethod.Get, $"{fhir}/Slot?schedule={providerId}&start=ge{DateTimeOffset.UtcNow.AddDays(1):yyyy-MM-dd}&_count=1"),
            "read Organization" => new(HttpMethod.Get, $"{fhir}/Organization/{clinicId}"),
            _ => new(HttpMethod.Get, $"{fhir}/Schedule/{providerId}"),
        };
    }

    private static string[] Strings(JsonElement document, string name) =>
        [.. document.GetProperty(name).EnumerateArray().Select(e => e.GetString()!)];

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, string? token, string? userAgent = null)
    {
        using var http = fixture.Http(userAgent);
        using (request)
        {
            if (token is not null)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            }

            var response = await http.SendAsync(request);
            await response.Content.LoadIntoBufferAsync();
            return response;
        }
    }
}
