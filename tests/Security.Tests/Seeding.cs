using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace ClinicCluster.Security.Tests;

/// <summary>Creates, through the API, the clinic, provider, patient and appointment that hostile requests aim at.</summary>
public static class Seeding
{
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    public static async Task<Victim> CreateVictimAsync(HttpClient http, string prefix)
    {
        var clinicId = prefix + "-" + Guid.NewGuid().ToString("N")[..6];
        var week = new[] { "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday" }
            .Select(day => new { day, start = "08:00:00", end = "20:00:00" }).ToArray();
        await SendAsync(http, HttpMethod.Post, "/api/clinics", new
        {
            id = clinicId,
            name = "Hostile clinic",
            timeZone = "America/New_York",
            appointmentTypes = new[] { new { name = "checkup", durationMinutes = 30, bufferMinutes = 10 } },
        });
        var provider = await SendAsync(http, HttpMethod.Post, $"/api/clinics/{clinicId}/providers", new
        {
            name = "Dr. Victim",
            specialty = "Family medicine",
            workingHours = week,
            timeOff = Array.Empty<object>(),
        });
        var mrn = "MRN-" + Guid.NewGuid().ToString("N")[..10].ToUpperInvariant();
        var patient = await SendAsync(http, HttpMethod.Post, $"/api/clinics/{clinicId}/patients", new
        {
            mrn,
            givenName = "Vic",
            familyName = "Hostile",
            birthDate = "1970-05-05",
            sex = "other",
        });

        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, NewYork).DateTime);
        var day = today.AddDays(10);
        var local = day.ToDateTime(new TimeOnly(10, 0));
        var start = new DateTimeOffset(local, NewYork.GetUtcOffset(local)).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
        var appointment = await SendAsync(http, HttpMethod.Post, $"/api/clinics/{clinicId}/appointments", new
        {
            patientId = patient.GetProperty("id").GetString(),
            providerId = provider.GetProperty("id").GetString(),
            appointmentType = "checkup",
            start,
            reason = "victim",
        });
        return new Victim(clinicId, provider.GetProperty("id").GetString()!, patient.GetProperty("id").GetString()!,
            appointment.GetProperty("id").GetString()!, mrn, day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            start.Replace("T10:00", "T11:00", StringComparison.Ordinal));
    }

    private static async Task<JsonElement> SendAsync(HttpClient http, HttpMethod method, string path, object body)
    {
        using var request = new HttpRequestMessage(method, path)
        {
            Content = new StringContent(JsonSerializer.Serialize(body, JsonSerializerOptions.Web), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", SecurityFixture.AdminToken);
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.Created)
        {
            throw new InvalidOperationException($"{method} {path} answered {(int)response.StatusCode}: {text}");
        }

        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
