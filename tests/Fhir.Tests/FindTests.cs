using System.Net;
using ClinicCluster.Api.Auth;
using ClinicCluster.Audit;
using Hl7.Fhir.Model;

namespace ClinicCluster.Fhir.Tests;

/// <summary><c>Appointment/$find</c> on the clinic-wide search, and operations not offered.</summary>
[Collection(FhirCollection.Name)]
public sealed class FindTests(FhirFixture fixture)
{
    [Fact]
    public async System.Threading.Tasks.Task Find_proposes_slots_across_providers_by_start_and_pages_with_the_native_cursor()
    {
        var (clinicId, _) = await fixture.VisitClinicAsync(providers: 3);
        var date = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(2).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var uri = $"/fhir/clinics/{clinicId}/Appointment/$find?start={date}&end={date}&visit-type=checkup&_count=4";

        using var first = await fixture.SendAsync(HttpMethod.Get, uri, FhirFixture.Token(Roles.FrontDesk, clinicId));
        Assert.True(first.StatusCode == HttpStatusCode.OK, await first.Content.ReadAsStringAsync());
        var page = await first.ReadAsync<Bundle>();
        var proposals = page.Entry.Select(e => (Appointment)e.Resource!).ToList();
        Assert.Equal(4, proposals.Count);
        Assert.All(proposals, p => Assert.Equal(Appointment.AppointmentStatus.Proposed, p.Status));
        Assert.Equal(3, proposals.Take(3).Select(p => p.Participant[0].Actor!.Reference).Distinct().Count());
        Assert.Equal(proposals.OrderBy(p => p.Start).Select(p => p.Start), proposals.Select(p => p.Start));

        var next = page.Link.Single(l => l.Relation == "next").Url;
        using var second = await fixture.SendAsync(HttpMethod.Get, new Uri(next!).PathAndQuery, FhirFixture.Token(Roles.FrontDesk, clinicId));
        var more = (await second.ReadAsync<Bundle>()).Entry.Select(e => (Appointment)e.Resource!).ToList();
        Assert.True(more[0].Start >= proposals[^1].Start);
        Assert.DoesNotContain(more, m => proposals.Any(p => p.Start == m.Start && p.Participant[0].Actor!.Reference == m.Participant[0].Actor!.Reference));
    }

    [Fact]
    public async System.Threading.Tasks.Task Find_takes_Argonaut_names_and_Parameters_and_a_patient_is_audited()
    {
        var (clinicId, providerId) = await fixture.VisitClinicAsync(providers: 2);
        var patientId = await fixture.PatientAsync(clinicId, NativeSetup.NewMrn());
        var date = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(3).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var parameters = new Parameters();
        parameters.Add("start", new Date(date));
        parameters.Add("provider", new FhirString("Practitioner/" + providerId));
        parameters.Add("patient", new ResourceReference("Patient/" + patientId));
        parameters.Add("_count", new Integer(2));
        var marker = "fhir-find-" + Guid.NewGuid().ToString("N")[..8];

        using var response = await fixture.SendAsync(HttpMethod.Post, $"/fhir/clinics/{clinicId}/Appointment/$find", FhirFixture.AdminToken,
            Hosting.FhirJson.Serialize(parameters), marker);

        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var proposals = (await response.ReadAsync<Bundle>()).Entry.Select(e => (Appointment)e.Resource!).ToList();
        Assert.Equal(2, proposals.Count);
        Assert.All(proposals, p => Assert.Equal(["Practitioner/" + providerId, "Patient/" + patientId], p.Participant.Select(a => a.Actor!.Reference)));
        var audit = Assert.Single(await fixture.EventsMarkedAsync(clinicId, marker));
        Assert.Equal((AuditAction.Search, patientId), (audit.Action, audit.DisclosedPatientIds!.Single()));
    }

    [Theory]
    [InlineData("Appointment/$find?start=2026-01-01&reason=x")]
    [InlineData("Appointment/$find?end=2026-01-01")]
    [InlineData("Appointment/$find?start=SecretValue")]
    [InlineData("Appointment/$find?start=2026-01-01&end=2026-03-01")]
    [InlineData("Appointment/$find?start=2026-01-01&practitioner=Practitioner/SecretValue")]
    public async System.Threading.Tasks.Task Bad_find_input_is_400_without_echo(string path)
    {
        var (clinicId, _) = await fixture.VisitClinicAsync();
        using var response = await fixture.SendAsync(HttpMethod.Get, $"/fhir/clinics/{clinicId}/{path}", FhirFixture.AdminToken);
        var outcome = await ConformanceTests.ExpectOutcomeAsync(response, HttpStatusCode.BadRequest, OperationOutcome.IssueType.Invalid);
        Assert.DoesNotContain("SecretValue", outcome.Issue[0].Diagnostics, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("GET", "Patient/$everything")]
    [InlineData("POST", "Appointment/$hold")]
    [InlineData("GET", "Appointment/apt-1/$cancel")]
    [InlineData("GET", "$export")]
    [InlineData("DELETE", "Patient/pat-1")]
    public async System.Threading.Tasks.Task Operations_and_interactions_not_offered_are_not_supported(string method, string path)
    {
        var (clinicId, _) = await fixture.VisitClinicAsync();
        using var response = await fixture.SendAsync(new HttpMethod(method), $"/fhir/clinics/{clinicId}/{path}", FhirFixture.AdminToken);
        await ConformanceTests.ExpectOutcomeAsync(response, HttpStatusCode.MethodNotAllowed, OperationOutcome.IssueType.NotSupported);
    }
}
