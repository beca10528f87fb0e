using System.Net;
using System.Net.Http.Headers;
using ClinicCluster.Fhir.Hosting;
using Hl7.Fhir.Model;
using Hl7.Fhir.Rest;

namespace ClinicCluster.Fhir.Tests;

/// <summary>The CapabilityStatement and content negotiation; every body is validated by the client's handler.</summary>
[Collection(FhirCollection.Name)]
public sealed class ConformanceTests(FhirFixture fixture)
{
    [Fact]
    public async System.Threading.Tasks.Task Metadata_needs_no_login_and_lists_exactly_what_is_implemented()
    {
        var (clinicId, _) = await fixture.ClinicAsync();
        var client = fixture.Client(clinicId, token: null);

        var capabilities = await client.CapabilityStatementAsync();

        Assert.Equal(FHIRVersion.N4_0_1, capabilities!.FhirVersion);
        Assert.Equal(["json"], capabilities.Format);
        var rest = Assert.Single(capabilities.Rest);
        Assert.Equal(["Appointment", "AuditEvent", "Location", "Organization", "Patient", "Practitioner", "Schedule", "Slot"], rest.Resource.Select(r => r.Type).Order());
        var patient = rest.Resource.Single(r => r.Type == "Patient");
        Assert.Equal([CapabilityStatement.TypeRestfulInteraction.Read, CapabilityStatement.TypeRestfulInteraction.SearchType],
            patient.Interaction.Select(i => i.Code!.Value));
        Assert.Equal(
            [("_id", SearchParamType.Token), ("identifier", SearchParamType.Token), ("name", SearchParamType.String),
             ("family", SearchParamType.String), ("given", SearchParamType.String), ("birthdate", SearchParamType.Date)],
            patient.SearchParam.Select(p => (p.Name, p.Type!.Value)));
        var appointment = rest.Resource.Single(r => r.Type == "Appointment");
        Assert.Equal(
            [CapabilityStatement.TypeRestfulInteraction.Read, CapabilityStatement.TypeRestfulInteraction.Vread, CapabilityStatement.TypeRestfulInteraction.Update,
             CapabilityStatement.TypeRestfulInteraction.Create, CapabilityStatement.TypeRestfulInteraction.SearchType],
            appointment.Interaction.Select(i => i.Code!.Value));
        Assert.Equal(
            [("patient", SearchParamType.Reference), ("practitioner", SearchParamType.Reference), ("actor", SearchParamType.Reference),
             ("date", SearchParamType.Date), ("status", SearchParamType.Token)],
            appointment.SearchParam.Select(p => (p.Name, p.Type!.Value)));
        Assert.Equal(["find", "book"], appointment.Operation.Select(o => o.Name));
        Assert.Equal((CapabilityStatement.ResourceVersionPolicy.VersionedUpdate, true, false),
            (appointment.Versioning, appointment.ConditionalCreate, appointment.ConditionalUpdate));
        Assert.Equal(CapabilityStatement.ResourceVersionPolicy.Versioned, patient.Versioning);
        var audit = rest.Resource.Single(r => r.Type == "AuditEvent");
        Assert.Equal([CapabilityStatement.TypeRestfulInteraction.SearchType], audit.Interaction.Select(i => i.Code!.Value));
        Assert.Equal([("patient", SearchParamType.Reference), ("date", SearchParamType.Date)], audit.SearchParam.Select(p => (p.Name, p.Type!.Value)));
        Assert.All(rest.Resource.Where(r => r.Type is "Practitioner" or "Schedule" or "Slot"), r => Assert.Equal(
            [CapabilityStatement.TypeRestfulInteraction.Read, CapabilityStatement.TypeRestfulInteraction.SearchType], r.Interaction.Select(i => i.Code!.Value)));
        Assert.Equal([("_id", SearchParamType.Token), ("name", SearchParamType.String)],
            rest.Resource.Single(r => r.Type == "Practitioner").SearchParam.Select(p => (p.Name, p.Type!.Value)));
        Assert.Equal([("_id", SearchParamType.Token), ("actor", SearchParamType.Reference)],
            rest.Resource.Single(r => r.Type == "Schedule").SearchParam.Select(p => (p.Name, p.Type!.Value)));
        var slot = rest.Resource.Single(r => r.Type == "Slot");
        Assert.Equal(
            [("schedule", SearchParamType.Reference), ("start", SearchParamType.Date), ("status", SearchParamType.Token), ("appointment-type", SearchParamType.Token)],
            slot.SearchParam.Select(p => (p.Name, p.Type!.Value)));
        Assert.All(slot.SearchParam, p => Assert.Equal("http://hl7.org/fhir/SearchParameter/Slot-" + p.Name, p.Definition));
        Assert.All(rest.Resource.Where(r => r.Type is "Location" or "Organization"), r =>
        {
            Assert.Equal([CapabilityStatement.TypeRestfulInteraction.Read], r.Interaction.Select(i => i.Code!.Value));
            Assert.Empty(r.SearchParam);
        });
        // What no resource offers, stated once per entry (Capabilities.Base).
        Assert.All(rest.Resource, r => Assert.Equal((false, false, CapabilityStatement.ConditionalReadStatus.NotSupported, false, CapabilityStatement.ConditionalDeleteStatus.NotSupported),
            (r.ReadHistory, r.UpdateCreate, r.ConditionalRead, r.ConditionalUpdate, r.ConditionalDelete)));
        Assert.All(rest.Resource.Where(r => r.Type != "Appointment"), r => Assert.False(r.ConditionalCreate));
        Assert.True(ValidatingHandler.Validated > 0);
    }

    [Theory]
    [InlineData(FhirJson.MediaType, null)]
    [InlineData("application/json", null)]
    [InlineData("*/*", null)]
    [InlineData(null, "json")]
    [InlineData("application/fhir+xml", "json")]
    [InlineData(null, "application/fhir+json")]
    public async System.Threading.Tasks.Task Json_is_served_for_fhir_json_plain_json_and_format_json(string? accept, string? format)
    {
        var (clinicId, _) = await fixture.ClinicAsync();
        using var response = await SendAsync(clinicId, HttpMethod.Get, "metadata", accept, format);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(FhirJson.MediaType, response.Content.Headers.ContentType!.MediaType);
    }

    [Theory]
    [InlineData("application/fhir+xml", null)]
    [InlineData("application/xml", null)]
    [InlineData("text/html", null)]
    [InlineData(null, "xml")]
    [InlineData(FhirJson.MediaType, "application/fhir+xml")]
    public async System.Threading.Tasks.Task Xml_or_another_format_is_406_with_an_outcome(string? accept, string? format)
    {
        var (clinicId, _) = await fixture.ClinicAsync();
        using var anonymous = await SendAsync(clinicId, HttpMethod.Get, "metadata", accept, format);
        await ExpectOutcomeAsync(anonymous, HttpStatusCode.NotAcceptable, OperationOutcome.IssueType.NotSupported);

        using var read = await SendAsync(clinicId, HttpMethod.Get, "Patient/pat-none", accept, format, FhirFixture.AdminToken);
        await ExpectOutcomeAsync(read, HttpStatusCode.NotAcceptable, OperationOutcome.IssueType.NotSupported);
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData(FhirJson.MediaType)]
    [InlineData("text/plain")]
    [InlineData(null)]
    public async System.Threading.Tasks.Task Post_search_with_a_body_that_is_not_a_form_is_415(string? contentType)
    {
        var (clinicId, _) = await fixture.ClinicAsync();
        using var http = fixture.Http();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/fhir/clinics/{clinicId}/Patient/_search");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", FhirFixture.AdminToken);
        request.Content = new ByteArrayContent("{\"name\":\"x\"}"u8.ToArray());
        if (contentType is not null)
        {
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        }

        using var response = await http.SendAsync(request);
        await ExpectOutcomeAsync(response, HttpStatusCode.UnsupportedMediaType, OperationOutcome.IssueType.NotSupported);
    }

    [Fact]
    public async System.Threading.Tasks.Task An_unknown_clinic_is_404_with_an_outcome()
    {
        using var response = await SendAsync("c-does-not-exist", HttpMethod.Get, "metadata", null, null);
        await ExpectOutcomeAsync(response, HttpStatusCode.NotFound, OperationOutcome.IssueType.NotFound);
    }

    internal async Task<HttpResponseMessage> SendAsync(string clinicId, HttpMethod method, string path, string? accept, string? format, string? token = null)
    {
        using var http = fixture.Http();
        var uri = $"/fhir/clinics/{clinicId}/{path}" + (format is null ? "" : (path.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "_format=" + Uri.EscapeDataString(format));
        using var request = new HttpRequestMessage(method, uri);
        if (accept is not null)
        {
            request.Headers.Accept.ParseAdd(accept);
        }

        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return await http.SendAsync(request);
    }

    internal static async Task<OperationOutcome> ExpectOutcomeAsync(HttpResponseMessage response, HttpStatusCode status, OperationOutcome.IssueType code)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"Expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal(FhirJson.MediaType, response.Content.Headers.ContentType?.MediaType);
        var outcome = FhirJson.Deserialize<OperationOutcome>(body);
        Assert.Equal(code, Assert.Single(outcome.Issue).Code);
        return outcome;
    }
}
