using System.Net;
using System.Net.Http.Headers;
using ClinicCluster.Api.Auth;
using ClinicCluster.Audit;
using ClinicCluster.Fhir.AuditEvents;
using ClinicCluster.Fhir.Hosting;
using Hl7.Fhir.Model;
using Hl7.Fhir.Rest;
using AuditEvent = Hl7.Fhir.Model.AuditEvent;

namespace ClinicCluster.Fhir.Tests;

/// <summary>
/// The audit trail as R4 AuditEvents built with the Firely model: the FHIR search for auditors
/// (validated by the client's handler), its paging, its permission and scope, its own audit event,
/// and the native NDJSON accounting of disclosures, each line validated against R4.
/// </summary>
[Collection(FhirCollection.Name)]
public sealed class AuditEventTests(FhirFixture fixture)
{
    [Fact]
    public async System.Threading.Tasks.Task An_auditor_searches_a_patients_events_and_the_search_is_audited()
    {
        var (clinicId, patientId) = await PatientReadTwiceAsync();
        var marker = "fhir-audsearch-" + Guid.NewGuid().ToString("N")[..8];
        var client = fixture.Client(clinicId, FhirFixture.Tokens.ScopedToken(Roles.Auditor, ["user/AuditEvent.rs"], clinicId), marker);

        var bundle = await client.SearchAsync<AuditEvent>(["patient=" + patientId]);

        var events = bundle!.Entry.Select(e => (AuditEvent)e.Resource!).ToList();
        Assert.True(events.Count(e => Operation(e) == "FhirReadPatient") >= 2);
        Assert.All(events, e => Assert.Contains(e.Entity, x => x.What!.Reference == $"Patient/{patientId}"));
        Assert.All(events, e => Assert.Equal(clinicId, e.Source!.Site));
        var own = Assert.Single(await fixture.EventsMarkedAsync(clinicId, marker));
        Assert.Equal(("FhirSearchAuditEvent", AuditAction.Search, patientId, 200), (own.Operation, own.Action, own.PatientId, own.HttpStatus));
    }

    [Fact]
    public async System.Threading.Tasks.Task Pages_walk_every_event_once()
    {
        var (clinicId, patientId) = await PatientReadTwiceAsync();
        var client = fixture.Client(clinicId, FhirFixture.Token(Roles.SecurityOfficer, clinicId));

        // Each page read is itself an event about the patient: bound the walk to what existed before it.
        await System.Threading.Tasks.Task.Delay(10);
        var before = "date=lt" + DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", System.Globalization.CultureInfo.InvariantCulture);
        var all = await client.SearchAsync<AuditEvent>(["patient=" + patientId, before, "_count=100"]);
        var seen = new List<string>();
        var page = await client.SearchAsync<AuditEvent>(["patient=" + patientId, before, "_count=1"]);
        for (var i = 0; page is not null && i < 50; i++)
        {
            seen.AddRange(page.Entry.Select(e => e.Resource!.Id!));
            page = await client.ContinueAsync(page);
        }

        Assert.True(seen.Count >= 2);
        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Equal(all!.Entry.Select(e => e.Resource!.Id!), seen);
    }

    [Theory]
    [InlineData("date=lt2000-01-01", 0)]
    [InlineData("date=ge2000-01-01&date=lt2999-01-01", -1)]
    [InlineData("date=gt2999-01-01T00:00:00Z", 0)]
    [InlineData("date=le9999-12-31", -1)]
    [InlineData("date=gt9999-12-31&date=ge0001-01-01", 0)]
    public async System.Threading.Tasks.Task Date_narrows_the_events(string date, int expected)
    {
        var (clinicId, patientId) = await PatientReadTwiceAsync();
        var client = fixture.Client(clinicId, FhirFixture.Token(Roles.Auditor, clinicId));

        var bundle = await client.SearchAsync<AuditEvent>([$"patient={patientId}", .. date.Split('&')]);

        if (expected >= 0)
        {
            Assert.Equal(expected, bundle!.Entry.Count);
        }
        else
        {
            Assert.NotEmpty(bundle!.Entry);
        }
    }

    [Theory]
    [InlineData(Roles.Admin, FhirFixture.AllScopes, HttpStatusCode.Forbidden)]
    [InlineData(Roles.Clinician, FhirFixture.AllScopes, HttpStatusCode.Forbidden)]
    [InlineData(Roles.Auditor, "user/Patient.rs", HttpStatusCode.Forbidden)]
    [InlineData(Roles.Auditor, "user/AuditEvent.r", HttpStatusCode.Forbidden)]
    [InlineData(Roles.Auditor, "user/AuditEvent.s", HttpStatusCode.OK)]
    public async System.Threading.Tasks.Task Reading_the_trail_needs_the_audit_role_and_the_scope(string role, string scopes, HttpStatusCode expected)
    {
        var (clinicId, _) = await fixture.ClinicAsync();
        using var http = fixture.Http();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/fhir/clinics/{clinicId}/AuditEvent?date=ge2000-01-01");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", FhirFixture.Tokens.ScopedToken(role, [scopes], clinicId));

        using var response = await http.SendAsync(request);

        Assert.Equal(expected, response.StatusCode);
    }

    [Theory]
    [InlineData("patient=Bad%20Id")]
    [InlineData("patient=a&patient=b")]
    [InlineData("date=2020-13-01")]
    [InlineData("date=ap2020-01-01")]
    [InlineData("date=2020-01-01T10:00:00")]
    [InlineData("date=ge2020-01-01&date=lt2021-01-01&date=lt2022-01-01")]
    [InlineData("_count=0")]
    [InlineData("_count=abc")]
    [InlineData("_page=-1")]
    [InlineData("actor=x")]
    [InlineData("patient=a%00b")]
    public async System.Threading.Tasks.Task Bad_parameters_are_400(string query)
    {
        var (clinicId, _) = await fixture.ClinicAsync();
        using var http = fixture.Http();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/fhir/clinics/{clinicId}/AuditEvent?{query}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", FhirFixture.Token(Roles.Auditor, clinicId));

        using var response = await http.SendAsync(request);

        await ConformanceTests.ExpectOutcomeAsync(response, HttpStatusCode.BadRequest, OperationOutcome.IssueType.Invalid);
    }

    [Fact]
    public async System.Threading.Tasks.Task The_native_ndjson_accounting_is_valid_r4()
    {
        var (clinicId, patientId) = await PatientReadTwiceAsync();
        using var http = fixture.Http();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/clinics/{clinicId}/audit/patients/{patientId}/disclosures");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", FhirFixture.Token(Roles.Auditor, clinicId));

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var lines = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length >= 2);
        foreach (var line in lines)
        {
            var resource = FhirJson.Deserialize<AuditEvent>(line);
            FhirValidation.AssertValid(resource);
            Assert.Equal(AuditEventMapper.OperationSystem, resource.Subtype[1].System);
        }
    }

    private static string? Operation(AuditEvent e) => e.Subtype.FirstOrDefault(s => s.System == AuditEventMapper.OperationSystem)?.Code;

    private async Task<(string ClinicId, string PatientId)> PatientReadTwiceAsync()
    {
        var (clinicId, _) = await fixture.ClinicAsync();
        var patientId = await fixture.PatientAsync(clinicId, NativeSetup.NewMrn());
        var marker = "fhir-audread-" + Guid.NewGuid().ToString("N")[..8];
        var reader = fixture.Client(clinicId, FhirFixture.Token(Roles.FrontDesk, clinicId), marker);
        await reader.ReadAsync<Patient>($"Patient/{patientId}");
        await reader.ReadAsync<Patient>($"Patient/{patientId}");
        await fixture.EventsMarkedAsync(clinicId, marker, atLeast: 2);
        return (clinicId, patientId);
    }
}
