using System.Net;
using System.Text;
using System.Text.Json;
using ClinicCluster.Audit;
using static ClinicCluster.Api.Tests.TestData;

namespace ClinicCluster.Api.Tests;

/// <summary>The onboarding import (decision 0030): NDJSON in, one registration and one audit event per new patient, idempotent per MRN.</summary>
[Collection(ApiCollection.Name)]
public sealed class PatientImportTests(ApiFixture fixture)
{
    private readonly ApiClient _api = fixture.Api;

    [Fact]
    public async Task Import_registers_each_line_once_audits_each_patient_and_reports_bad_lines_by_number_only()
    {
        var clinic = await fixture.CreateClinicAsync();
        var (a, b, c) = (NewMrn(), NewMrn(), NewMrn());
        var file = Lines(
            Patient(a, "Importa", "Smithline"),
            "",
            Patient(b, "Importb", "Smithline"),
            "{\"mrn\": \"SECRET-VALUE-7\", \"givenName\": ",
            Patient("MRN with spaces", "Secretgiven", "Smithline"),
            Patient(c, "Importc", "Smithline"));

        var first = await ImportAsync(clinic.Path, file, ApiFixture.Token("frontdesk", clinic.Id), marker: "import-first");
        Assert.Equal((5, 3, 0, 2, true), (first.Int("lines"), first.Int("created"), first.Int("alreadyRegistered"), first.Int("invalid"), first.GetProperty("completed").GetBoolean()));
        var errors = first.GetProperty("errors").EnumerateArray().Select(e => (e.Int("line"), e.Str("code"))).ToList();
        Assert.Equal([(4, "malformed-line"), (5, "validation")], errors);
        var text = first.GetRawText();
        Assert.DoesNotContain("SECRET", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Secretgiven", text, StringComparison.Ordinal);

        // Re-sent whole (a retry after a failure): nothing new, and nothing new audited.
        var again = await ImportAsync(clinic.Path, file, ApiFixture.AdminToken, marker: "import-again");
        Assert.Equal((0, 3), (again.Int("created"), again.Int("alreadyRegistered")));

        // Resumed from a line: numbers continue from there.
        var resumed = await ImportAsync(clinic.Path + "/patients/import?firstLine=5", Lines(Patient("bad mrn", "X", "Y"), Patient(c, "Importc", "Smithline")), ApiFixture.AdminToken, "import-resume", rawPath: true);
        Assert.Equal((5, 0, 1), (resumed.GetProperty("errors")[0].Int("line"), resumed.Int("created"), resumed.Int("alreadyRegistered")));

        using var search = await _api.GetAsync($"{clinic.Path}/patients?name=Smithline&limit=20", ApiFixture.AdminToken);
        var hits = await search.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(3, hits.GetProperty("items").GetArrayLength());

        // One Create event per patient created, each naming its patient, plus the request's own.
        var events = await fixture.EventsMarkedAsync(clinic.Id, "import-first");
        var perPatient = events.Where(e => e.ResourceType == "Patient").ToList();
        Assert.Equal(3, perPatient.Count);
        Assert.All(perPatient, e => Assert.Equal((AuditAction.Create, AuditOutcome.Success, 201), (e.Action, e.Outcome, e.HttpStatus)));
        Assert.Equal(3, perPatient.Select(e => e.PatientId).Distinct().Count());
        Assert.Single(events, e => e.ResourceType == "PatientImport");
        Assert.DoesNotContain(await fixture.EventsMarkedAsync(clinic.Id, "import-again"), e => e.ResourceType == "Patient");
    }

    [Fact]
    public async Task Import_is_for_admin_and_front_desk_and_takes_ndjson_only()
    {
        var clinic = await fixture.CreateClinicAsync();
        var file = Lines(Patient(NewMrn(), "Roleta", "Importer"));

        using var clinician = await Send(clinic.Path + "/patients/import", file, ApiFixture.Token("clinician", clinic.Id));
        await clinician.ExpectProblemAsync(HttpStatusCode.Forbidden);
        using var json = await _api.SendAsync(HttpMethod.Post, clinic.Path + "/patients/import", ApiFixture.AdminToken,
            new StringContent(file, Encoding.UTF8, "application/json"));
        await json.ExpectProblemAsync(HttpStatusCode.UnsupportedMediaType);
        using var badStart = await Send(clinic.Path + "/patients/import?firstLine=0", file, ApiFixture.AdminToken);
        await badStart.ExpectProblemAsync(HttpStatusCode.BadRequest);
        using var noClinic = await Send("/api/clinics/no-such-clinic-x/patients/import", file, ApiFixture.AdminToken);
        await noClinic.ExpectProblemAsync(HttpStatusCode.NotFound);
    }

    private async Task<JsonElement> ImportAsync(string path, string file, string token, string marker, bool rawPath = false)
    {
        using var response = await Send(rawPath ? path : path + "/patients/import", file, token, marker);
        return await response.ExpectAsync(HttpStatusCode.OK);
    }

    private Task<HttpResponseMessage> Send(string path, string file, string token, string? marker = null) =>
        _api.SendAsync(HttpMethod.Post, path, token, new StringContent(file, Encoding.UTF8, "application/x-ndjson"),
            configure: r => r.Headers.UserAgent.ParseAdd(marker ?? "import-test"));

    private static string Patient(string mrn, string given, string family) => JsonSerializer.Serialize(PatientBody(mrn, given, family), ApiClient.Json);

    private static string Lines(params string[] lines) => string.Join('\n', lines) + "\n";
}

file static class ImportJson
{
    public static int Int(this JsonElement json, string property) => json.GetProperty(property).GetInt32();
}
