using System.Net;
using ClinicCluster.Api.Auth;
using static ClinicCluster.Api.Tests.TestData;

namespace ClinicCluster.Api.Tests;

/// <summary>
/// Complete accounting of disclosures: a name search, an MRN lookup and a provider's day list name
/// every patient they returned, so each returned patient's disclosure export lists them, and a
/// patient who was not returned does not see them.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class DisclosureAccountingTests(ApiFixture fixture)
{
    [Fact]
    public async Task Every_patient_a_search_or_list_returned_finds_it_in_their_disclosures()
    {
        var clinic = await fixture.CreateClinicAsync();
        var family = "Quorra" + Guid.NewGuid().ToString("N")[..6];
        var shown = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            using var created = await fixture.Api.PostAsync($"{clinic.Path}/patients", ApiFixture.AdminToken, PatientBody(NewMrn(), "Alex", family));
            shown.Add((await created.ExpectAsync(HttpStatusCode.Created)).Str("id"));
        }

        var other = await fixture.RegisterPatientAsync(clinic.Id);
        var clinician = ApiFixture.Token(Roles.Clinician, clinic.Id);
        using (var search = await fixture.Api.GetAsync($"{clinic.Path}/patients?name={family}", clinician))
        {
            var hits = (await search.ExpectAsync(HttpStatusCode.OK)).GetProperty("items").EnumerateArray().Select(h => h.Str("id")).ToList();
            Assert.Equal(shown.Order(StringComparer.Ordinal), hits.Order(StringComparer.Ordinal));
        }

        var start = NewYork(10, 10);
        await fixture.BookAsync(clinic, shown[0], start);
        using (var day = await fixture.Api.GetAsync($"{clinic.Path}/providers/{clinic.ProviderId}/appointments?date={NewYorkDate(start)}", clinician))
        {
            await day.ExpectAsync(HttpStatusCode.OK);
        }

        var auditor = ApiFixture.Token(Roles.Auditor, clinic.Id);
        foreach (var patient in shown)
        {
            var export = await ExportUntilAsync(clinic, patient, auditor, "SearchPatients");
            var search = Assert.Single(export, line => Operation(line) == "SearchPatients");
            Assert.Contains($"Patient/{patient}", search, StringComparison.Ordinal);
            foreach (var someoneElse in shown.Where(p => p != patient))
            {
                Assert.DoesNotContain(someoneElse, search, StringComparison.Ordinal);
            }
        }

        var booked = await ExportUntilAsync(clinic, shown[0], auditor, "ListProviderAppointments");
        Assert.Contains(booked, line => Operation(line) == "ListProviderAppointments");

        var notShown = await ExportUntilAsync(clinic, other, auditor, null);
        Assert.DoesNotContain(notShown, line => Operation(line) is "SearchPatients" or "ListProviderAppointments");
    }

    /// <summary>The patient's NDJSON export, polled until it holds an event of the operation (audit is asynchronous).</summary>
    private async Task<IReadOnlyList<string>> ExportUntilAsync(TestClinic clinic, string patientId, string token, string? operation)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (true)
        {
            using var response = await fixture.Api.GetAsync($"{clinic.Path}/audit/patients/{patientId}/disclosures", token);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var lines = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            if (operation is null ? lines.Length > 0 : lines.Any(l => Operation(l) == operation) || DateTime.UtcNow > deadline)
            {
                return lines;
            }

            await Task.Delay(100);
        }
    }

    /// <summary>The operation name of one FHIR AuditEvent line (its second subtype coding).</summary>
    private static string? Operation(string line)
    {
        using var json = System.Text.Json.JsonDocument.Parse(line);
        return json.RootElement.TryGetProperty("subtype", out var subtype) && subtype.ValueKind == System.Text.Json.JsonValueKind.Array
            ? subtype.EnumerateArray()
                .Where(s => s.TryGetProperty("system", out var system) && system.GetString() == "urn:clinic-cluster:operation")
                .Select(s => s.GetProperty("code").GetString())
                .FirstOrDefault()
            : null;
    }
}
