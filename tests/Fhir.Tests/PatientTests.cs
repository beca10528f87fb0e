using System.Net;
using System.Net.Http.Headers;
using ClinicCluster.Api.Auth;
using ClinicCluster.Audit;
using ClinicCluster.Fhir.Patients;
using Hl7.Fhir.Model;
using Hl7.Fhir.Rest;

namespace ClinicCluster.Fhir.Tests;

/// <summary>Patient read and search with a Firely FhirClient, on the native grains, permissions and audit.</summary>
[Collection(FhirCollection.Name)]
public sealed class PatientTests(FhirFixture fixture)
{
    [Fact]
    public async System.Threading.Tasks.Task A_patient_reads_with_its_native_fields_and_one_audit_event()
    {
        var (clinicId, _) = await fixture.ClinicAsync();
        var mrn = NativeSetup.NewMrn();
        var patientId = await fixture.PatientAsync(clinicId, mrn, "Jo", "Doe", "1984-02-29");
        var marker = "fhir-read-" + Guid.NewGuid().ToString("N")[..8];

        var patient = await fixture.Client(clinicId, FhirFixture.Token(Roles.FrontDesk, clinicId), marker).ReadAsync<Patient>($"Patient/{patientId}");

        Assert.Equal(patientId, patient!.Id);
        Assert.Equal(mrn, patient.Identifier.Single().Value);
        Assert.Equal(("Doe", "Jo", "1984-02-29"), (patient.Name[0].Family, patient.Name[0].Given.Single(), patient.BirthDate));
        var audit = Assert.Single(await fixture.EventsMarkedAsync(clinicId, marker));
        Assert.Equal((AuditAction.Read, "Patient", patientId, patientId, 200), (audit.Action, audit.ResourceType, audit.PatientId, audit.ResourceId, audit.HttpStatus));
        Assert.Equal("FhirReadPatient", audit.Operation);
    }

    [Fact]
    public async System.Threading.Tasks.Task Search_by_identifier_and_by_id_finds_the_patient_and_discloses_it()
    {
        var (clinicId, _) = await fixture.ClinicAsync();
        var mrn = NativeSetup.NewMrn();
        var patientId = await fixture.PatientAsync(clinicId, mrn);
        var marker = "fhir-mrn-" + Guid.NewGuid().ToString("N")[..8];
        var client = fixture.Client(clinicId, FhirFixture.AdminToken, marker);

        var byMrn = await client.SearchAsync<Patient>(new SearchParams().Add("identifier", $"{PatientMapper.MrnSystem}|{mrn}"));
        var byValue = await client.SearchAsync<Patient>(new SearchParams().Add("identifier", mrn));
        var byId = await client.SearchAsync<Patient>(new SearchParams().Add("_id", patientId).Add("birthdate", "1980-01-31"));
        var otherSystem = await client.SearchAsync<Patient>(new SearchParams().Add("identifier", $"urn:other|{mrn}"));
        var wrongBirthDate = await client.SearchAsync<Patient>(new SearchParams().Add("_id", patientId).Add("birthdate", "eq1999-01-01"));

        Assert.All(new[] { byMrn, byValue, byId }, b => Assert.Equal(patientId, Assert.Single(b!.Entry).Resource!.Id));
        Assert.All(new[] { byMrn, byValue, byId }, b => Assert.Equal(Bundle.BundleType.Searchset, b!.Type));
        Assert.Empty(otherSystem!.Entry);
        Assert.Empty(wrongBirthDate!.Entry);
        var events = await fixture.EventsMarkedAsync(clinicId, marker, atLeast: 5);
        Assert.Equal(5, events.Count);
        Assert.All(events, e => Assert.Equal(AuditAction.Search, e.Action));
        Assert.Equal(["mrn", "mrn", "id", "mrn", "id"], events.OrderBy(e => e.RecordedAt).Select(e => e.QueryKind));
        Assert.Equal([[patientId], [patientId], [patientId], [], []], events.OrderBy(e => e.RecordedAt).Select(e => e.DisclosedPatientIds ?? []));
    }

    [Fact]
    public async System.Threading.Tasks.Task Name_search_pages_with_opaque_links_and_each_page_discloses_its_patients()
    {
        var (clinicId, _) = await fixture.ClinicAsync();
        var family = "Pagina" + Guid.NewGuid().ToString("N")[..6];
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await fixture.PatientAsync(clinicId, NativeSetup.NewMrn(), "Given" + i, family));
        }

        await fixture.PatientAsync(clinicId, NativeSetup.NewMrn(), family, "Other");
        var marker = "fhir-page-" + Guid.NewGuid().ToString("N")[..8];
        var client = fixture.Client(clinicId, FhirFixture.Token(Roles.Clinician, clinicId), marker);

        var page = await client.SearchAsync<Patient>(new SearchParams().Add("family", family.ToLowerInvariant()).LimitTo(2));
        var seen = new List<string>();
        var pages = 0;
        while (page is not null)
        {
            pages++;
            Assert.True(page.Entry.Count <= 2);
            Assert.Equal(5, page.Total);
            Assert.All(page.Link, l => Assert.DoesNotContain(family, l.Url, StringComparison.OrdinalIgnoreCase));
            seen.AddRange(page.Entry.Select(e => e.Resource!.Id!));
            page = await client.ContinueAsync(page);
        }

        Assert.Equal(3, pages);
        Assert.Equal(ids.Order(), seen.Order());
        var events = (await fixture.EventsMarkedAsync(clinicId, marker, atLeast: 3)).OrderBy(e => e.RecordedAt).ToList();
        Assert.Equal(["family", "cursor", "cursor"], events.Select(e => e.QueryKind));
        Assert.Equal(seen.Order(), events.SelectMany(e => e.DisclosedPatientIds ?? []).Order());
    }

    [Fact]
    public async System.Threading.Tasks.Task Post_search_keeps_the_name_out_of_the_url()
    {
        var (clinicId, _) = await fixture.ClinicAsync();
        var given = "Postina" + Guid.NewGuid().ToString("N")[..6];
        var patientId = await fixture.PatientAsync(clinicId, NativeSetup.NewMrn(), given, "Smith");
        var client = fixture.Client(clinicId, FhirFixture.AdminToken);

        var bundle = await client.SearchUsingPostAsync<Patient>([$"given={given}", "family=smi"]);

        Assert.Equal(patientId, Assert.Single(bundle!.Entry).Resource!.Id);
    }

    [Fact]
    public async System.Threading.Tasks.Task A_cursor_belongs_to_its_caller()
    {
        var (clinicId, _) = await fixture.ClinicAsync();
        var family = "Cursora" + Guid.NewGuid().ToString("N")[..6];
        for (var i = 0; i < 3; i++)
        {
            await fixture.PatientAsync(clinicId, NativeSetup.NewMrn(), "G" + i, family);
        }

        var first = await fixture.Client(clinicId, FhirFixture.AdminToken).SearchAsync<Patient>(new SearchParams().Add("name", family).LimitTo(1));
        var next = first!.Link.Single(l => l.Relation == "next").Url;

        using var http = fixture.Http();
        using var request = new HttpRequestMessage(HttpMethod.Get, next);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", FhirFixture.Token(Roles.FrontDesk, clinicId));
        using var response = await http.SendAsync(request);
        await ConformanceTests.ExpectOutcomeAsync(response, HttpStatusCode.BadRequest, OperationOutcome.IssueType.Invalid);
    }
}
