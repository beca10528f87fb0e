using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace ClinicCluster.Observability.Tests.Infrastructure;

/// <summary>The public API as an administrator of every clinic, with just what the scenarios need.</summary>
public sealed class ClinicApiClient : IDisposable
{
    /// <summary>Without the 5xx check: a test that cuts the database counts the answers it gets.</summary>
    private readonly ApiClient _api;

    public ClinicApiClient(Uri baseAddress, string token)
    {
        var http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        _api = new ApiClient(http, failOnServerError: false);
    }

    public void Dispose() => _api.Http.Dispose();

    /// <summary>A clinic in UTC with no minimum notice and one provider working all day.</summary>
    public async Task<(string ClinicId, string ProviderId)> CreateClinicAsync()
    {
        var clinicId = "c-" + Guid.NewGuid().ToString("N")[..8];
        await ExpectAsync(HttpStatusCode.Created, "/api/clinics", new
        {
            id = clinicId,
            name = "Observability clinic",
            timeZone = "Etc/UTC",
            appointmentTypes = new[] { new { name = "checkup", durationMinutes = 30, bufferMinutes = 0 } },
            policy = new { minimumNoticeMinutes = 0, maximumHorizonDays = 90, cancellationCutoffMinutes = 0, slotIntervalMinutes = 15 },
        });
        var provider = await ExpectAsync(HttpStatusCode.Created, $"/api/clinics/{clinicId}/providers", new
        {
            name = "Dr. Trace",
            specialty = "Family medicine",
            workingHours = new[] { "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday" }
                .Select(day => new { day, start = "00:00:00", end = "23:59:59" }).ToArray(),
            timeOff = Array.Empty<object>(),
        });
        return (clinicId, provider.GetProperty("id").GetString()!);
    }

    public async Task<string> RegisterPatientAsync(string clinicId, PatientDetails patient)
    {
        var created = await ExpectAsync(HttpStatusCode.Created, $"/api/clinics/{clinicId}/patients", new
        {
            mrn = patient.Mrn,
            givenName = patient.GivenName,
            familyName = patient.FamilyName,
            birthDate = patient.BirthDate,
            sex = "female",
            phone = patient.Phone,
            email = patient.Email,
        });
        return created.GetProperty("id").GetString()!;
    }

    /// <summary>Books and answers the status code (201 booked, 409 conflict, ...).</summary>
    public async Task<HttpStatusCode> BookAsync(string clinicId, string patientId, string providerId, DateTimeOffset start, string reason)
    {
        using var response = await _api.PostAsync($"/api/clinics/{clinicId}/appointments", token: null, new
        {
            patientId,
            providerId,
            appointmentType = "checkup",
            start = start.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture),
            reason,
        });
        return response.StatusCode;
    }

    /// <summary>A whole hour some days ahead, in UTC (the clinic's zone).</summary>
    public static DateTimeOffset DaysAhead(int days, int hour) =>
        new(DateTime.UtcNow.Date.AddDays(days).AddHours(hour), TimeSpan.Zero);

    private async Task<JsonElement> ExpectAsync(HttpStatusCode expected, string path, object body)
    {
        using var response = await _api.PostAsync(path, token: null, body);
        var text = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != expected)
        {
            throw new InvalidOperationException($"POST {path}: {(int)response.StatusCode} {text}");
        }

        return JsonDocument.Parse(text).RootElement.Clone();
    }
}

/// <summary>A patient's PHI, kept so a test can look for it where it must not be.</summary>
public sealed record PatientDetails(string Mrn, string GivenName, string FamilyName, string BirthDate, string Phone, string Email)
{
    public static PatientDetails New()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        return new($"MRN-{tag.ToUpperInvariant()}", "Quintessa" + tag[..4], "Zebulon" + tag[4..], "1977-03-14",
            "+1 (212) 555-0" + tag[..3].Select(c => (char)('0' + (c % 10))).Aggregate("", (s, c) => s + c), $"q{tag}@example.org");
    }

    /// <summary>Every value that must never appear in telemetry.</summary>
    public IEnumerable<string> Values => [Mrn, GivenName, FamilyName, BirthDate, Phone, Email];
}
