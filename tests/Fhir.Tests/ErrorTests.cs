using System.Net;
using System.Net.Http.Headers;
using ClinicCluster.Api.Auth;
using ClinicCluster.Audit;
using Hl7.Fhir.Model;

namespace ClinicCluster.Fhir.Tests;

/// <summary>
/// Every refusal is an OperationOutcome with the issue code of its status (validated against R4 by
/// the client's handler), audited like the native refusal, and its diagnostics never repeat what was sent.
/// </summary>
[Collection(FhirCollection.Name)]
public sealed class ErrorTests(FhirFixture fixture)
{
    private const string Secret = "SecretName";

    public static TheoryData<string> SearchParameters => ["_id", "identifier", "name", "family", "given", "birthdate", "_count", "_format", "_cursor"];

    [Fact]
    public async System.Threading.Tasks.Task An_unknown_patient_or_appointment_is_404()
    {
        var (clinicId, _) = await fixture.ClinicAsync();
        foreach (var path in new[] { "Patient/pat-none", "Appointment/apt-none", "Practitioner/prv-1", "Patient" + "/a/b" })
        {
            using var response = await SendAsync(HttpMethod.Get, $"/fhir/clinics/{clinicId}/{path}", FhirFixture.AdminToken);
            await ConformanceTests.ExpectOutcomeAsync(response, HttpStatusCode.NotFound, OperationOutcome.IssueType.NotFound);
        }
    }

    [Theory]
    [InlineData("Patient/UPPER")]
    [InlineData("Patient/a%01b")]
    [InlineData("Patient/a%0Ab")]
    [InlineData("Appointment/-x")]
    [InlineData("Appointment/a%7Fb")]
    public async System.Threading.Tasks.Task A_malformed_id_is_400(string path)
    {
        var (clinicId, _) = await fixture.ClinicAsync();
        var marker = "fhir-badid-" + Guid.NewGuid().ToString("N")[..8];
        using var response = await SendAsync(HttpMethod.Get, $"/fhir/clinics/{clinicId}/{path}", FhirFixture.AdminToken, marker);
        await ConformanceTests.ExpectOutcomeAsync(response, HttpStatusCode.BadRequest, OperationOutcome.IssueType.Invalid);
        var audit = Assert.Single(await fixture.EventsMarkedAsync(clinicId, marker));
        Assert.Equal((AuditAction.Read, 400), (audit.Action, audit.HttpStatus));
    }

    [Fact]
    public async System.Threading.Tasks.Task A_long_id_is_400()
    {
        var (clinicId, _) = await fixture.ClinicAsync();
        using var response = await SendAsync(HttpMethod.Get, $"/fhir/clinics/{clinicId}/Patient/{new string('a', 65)}", FhirFixture.AdminToken);
        await ConformanceTests.ExpectOutcomeAsync(response, HttpStatusCode.BadRequest, OperationOutcome.IssueType.Invalid);
    }

    [Theory]
    [MemberData(nameof(SearchParameters))]
    public async System.Threading.Tasks.Task A_control_character_or_an_overlong_value_in_any_parameter_is_400_without_echo(string parameter)
    {
        var (clinicId, _) = await fixture.ClinicAsync();
        foreach (var value in new[] { Secret + "\u0001", Secret + "\u0000x", Secret + "\u007F", Secret + "\u0085", Secret + "\nx", Secret + new string('x', 300) })
        {
            foreach (var post in new[] { false, true })
            {
                var encoded = Uri.EscapeDataString(value);
                using var response = post
                    ? await SendAsync(HttpMethod.Post, $"/fhir/clinics/{clinicId}/Patient/_search", FhirFixture.AdminToken, form: $"{parameter}={encoded}")
                    : await SendAsync(HttpMethod.Get, $"/fhir/clinics/{clinicId}/Patient?{parameter}={encoded}", FhirFixture.AdminToken);
                if (post && parameter == "_format")
                {
                    // _format is read from the URL only; in a form body it is just an unsupported parameter.
                    Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
                    continue;
                }

                var outcome = await ConformanceTests.ExpectOutcomeAsync(response, HttpStatusCode.BadRequest, OperationOutcome.IssueType.Invalid);
                Assert.DoesNotContain(Secret, outcome.Issue[0].Diagnostics, StringComparison.Ordinal);
            }
        }
    }

    [Theory]
    [InlineData("_count=0")]
    [InlineData("_count=101")]
    [InlineData("_count=abc")]
    [InlineData("birthdate=gt1980-01-01")]
    [InlineData("birthdate=1980-01-01")]
    [InlineData("unknown=SecretName")]
    [InlineData("name=a&name=b")]
    [InlineData("name=%20")]
    [InlineData("identifier=sys%7C")]
    [InlineData("_id=SecretName")]
    [InlineData("_cursor=SecretName")]
    [InlineData("")]
    public async System.Threading.Tasks.Task Search_parameters_out_of_their_rules_are_400_without_echo(string query)
    {
        var (clinicId, _) = await fixture.ClinicAsync();
        using var response = await SendAsync(HttpMethod.Get, $"/fhir/clinics/{clinicId}/Patient?{query}", FhirFixture.AdminToken);
        var outcome = await ConformanceTests.ExpectOutcomeAsync(response, HttpStatusCode.BadRequest, OperationOutcome.IssueType.Invalid);
        Assert.DoesNotContain(Secret, outcome.Issue[0].Diagnostics, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Patient/pat-x")]
    [InlineData("Patient?name=x")]
    [InlineData("Appointment/apt-x")]
    public async System.Threading.Tasks.Task No_token_is_401_login_and_audited_as_a_login_failure(string path)
    {
        var (clinicId, _) = await fixture.ClinicAsync();
        var marker = "fhir-401-" + Guid.NewGuid().ToString("N")[..8];
        using var response = await SendAsync(HttpMethod.Get, $"/fhir/clinics/{clinicId}/{path}", token: null, marker);
        await ConformanceTests.ExpectOutcomeAsync(response, HttpStatusCode.Unauthorized, OperationOutcome.IssueType.Login);
        var audit = Assert.Single(await fixture.EventsMarkedAsync(clinicId, marker));
        Assert.Equal((AuditAction.LoginFailure, AuditOutcome.Denied), (audit.Action, audit.Outcome));
    }

    [Theory]
    [InlineData(Roles.Auditor, "Patient/pat-x")]
    [InlineData(Roles.SecurityOfficer, "Patient?name=x")]
    [InlineData(Roles.Auditor, "Appointment/apt-x")]
    [InlineData(Roles.Admin, "Patient/pat-x")]
    public async System.Threading.Tasks.Task A_role_without_the_native_permission_is_403_forbidden(string role, string path)
    {
        var (clinicId, _) = await fixture.ClinicAsync();
        var marker = "fhir-403-" + Guid.NewGuid().ToString("N")[..8];

        // An administrator of another clinic has no role in this one.
        var token = role == Roles.Admin ? FhirFixture.Token(role, "c-other") : FhirFixture.Token(role, clinicId);
        using var response = await SendAsync(HttpMethod.Get, $"/fhir/clinics/{clinicId}/{path}", token, marker);
        await ConformanceTests.ExpectOutcomeAsync(response, HttpStatusCode.Forbidden, OperationOutcome.IssueType.Forbidden);
        var audit = Assert.Single(await fixture.EventsMarkedAsync(clinicId, marker));
        Assert.Equal(AuditOutcome.Denied, audit.Outcome);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string uri, string? token, string? userAgent = null, string? form = null)
    {
        using var http = fixture.Http(userAgent);
        using var request = new HttpRequestMessage(method, uri);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (form is not null)
        {
            request.Content = new ByteArrayContent(System.Text.Encoding.ASCII.GetBytes(form));
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
        }

        var response = await http.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }
}
