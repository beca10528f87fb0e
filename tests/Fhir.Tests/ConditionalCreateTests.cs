using System.Net;
using ClinicCluster.Fhir.Hosting;
using Hl7.Fhir.Model;

namespace ClinicCluster.Fhir.Tests;

/// <summary>
/// <c>POST Appointment</c> with <c>If-None-Exist</c> is atomic for its condition (decision 0051):
/// concurrent creates with one condition give one appointment, one 201 and the rest 200 naming it.
/// </summary>
[Collection(FhirCollection.Name)]
public sealed class ConditionalCreateTests(FhirFixture fixture)
{
    [Fact]
    public async System.Threading.Tasks.Task Ten_concurrent_identical_conditional_creates_give_one_appointment_one_201_and_nine_200()
    {
        var (clinicId, providerId, patientId, start) = await SetUpAsync();
        var body = FhirJson.Serialize(VisitClinic.ToBook(patientId, providerId, start));

        var responses = await System.Threading.Tasks.Task.WhenAll(Enumerable.Range(0, 10).Select(_ => CreateAsync(clinicId, body, patientId)));

        Assert.Equal([HttpStatusCode.Created, .. Enumerable.Repeat(HttpStatusCode.OK, 9)], responses.Select(r => r.StatusCode).OrderBy(s => s == HttpStatusCode.OK));
        var ids = await System.Threading.Tasks.Task.WhenAll(responses.Select(async r => (await r.ReadAsync<Appointment>()).Id ?? ""));
        Assert.Single(ids.Distinct());
        Assert.Equal([ids[0]], await AppointmentIdsAsync(clinicId, patientId));
    }

    [Fact]
    public async System.Threading.Tasks.Task Concurrent_conditional_creates_of_one_condition_for_different_times_give_one_appointment()
    {
        var (clinicId, providerId, patientId, start) = await SetUpAsync();

        var responses = await System.Threading.Tasks.Task.WhenAll(Enumerable.Range(0, 4).Select(i =>
            CreateAsync(clinicId, FhirJson.Serialize(VisitClinic.ToBook(patientId, providerId, start.AddMinutes(15 * i))), patientId)));

        Assert.Equal([HttpStatusCode.Created, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK],
            responses.Select(r => r.StatusCode).OrderBy(s => s == HttpStatusCode.OK));
        Assert.Single(await AppointmentIdsAsync(clinicId, patientId));
    }

    [Fact]
    public async System.Threading.Tasks.Task A_match_that_stopped_matching_leaves_the_condition_free_for_a_new_appointment()
    {
        var (clinicId, providerId, patientId, start) = await SetUpAsync();
        using var first = await CreateAsync(clinicId, FhirJson.Serialize(VisitClinic.ToBook(patientId, providerId, start)), patientId);
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var firstId = (await first.ReadAsync<Appointment>()).Id;
        await fixture.PostAsync($"/api/clinics/{clinicId}/appointments/{firstId}/cancel", new { });

        using var second = await CreateAsync(clinicId, FhirJson.Serialize(VisitClinic.ToBook(patientId, providerId, start.AddHours(1))), patientId);
        Assert.True(second.StatusCode == HttpStatusCode.Created, await second.Content.ReadAsStringAsync());
        var secondId = (await second.ReadAsync<Appointment>()).Id;
        Assert.NotEqual(firstId, secondId);

        using var again = await CreateAsync(clinicId, FhirJson.Serialize(VisitClinic.ToBook(patientId, providerId, start.AddHours(2))), patientId);
        Assert.Equal((HttpStatusCode.OK, secondId), (again.StatusCode, (await again.ReadAsync<Appointment>()).Id));
    }

    private async Task<(string ClinicId, string ProviderId, string PatientId, DateTimeOffset Start)> SetUpAsync()
    {
        var (clinicId, providerId) = await fixture.VisitClinicAsync();
        var patientId = await fixture.PatientAsync(clinicId, NativeSetup.NewMrn());
        return (clinicId, providerId, patientId, VisitClinic.NextOpenStart(TimeSpan.FromHours(2)));
    }

    private Task<HttpResponseMessage> CreateAsync(string clinicId, string body, string patientId) =>
        fixture.SendAsync(HttpMethod.Post, $"/fhir/clinics/{clinicId}/Appointment", FhirFixture.AdminToken, body, null,
            ("If-None-Exist", $"patient=Patient/{patientId}&status=booked"));

    private async Task<string[]> AppointmentIdsAsync(string clinicId, string patientId)
    {
        using var list = await fixture.SendAsync(HttpMethod.Get, $"/fhir/clinics/{clinicId}/Appointment?patient=Patient/{patientId}", FhirFixture.AdminToken);
        return (await list.ReadAsync<Bundle>()).Entry.Select(e => e.Resource?.Id ?? "").ToArray();
    }
}
