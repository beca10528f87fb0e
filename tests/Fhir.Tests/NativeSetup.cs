using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace ClinicCluster.Fhir.Tests;

/// <summary>Set-up through the native API as an administrator: a clinic with a provider, patients, a booking.</summary>
public static class NativeSetup
{
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    public static string NewMrn() => "MRN-" + Guid.NewGuid().ToString("N")[..12].ToUpperInvariant();

    /// <summary>A new clinic (New York, one 30-minute checkup type) and its provider, working 08-20 every day.</summary>
    public static async Task<(string ClinicId, string ProviderId)> ClinicAsync(this FhirFixture fixture)
    {
        var clinicId = "c-" + Guid.NewGuid().ToString("N")[..8];
        await fixture.PostAsync("/api/clinics", new
        {
            id = clinicId,
            name = "FHIR test clinic",
            timeZone = "America/New_York",
            appointmentTypes = new[] { new { name = "checkup", durationMinutes = 30, bufferMinutes = 10 } },
        });
        var days = new[] { "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday" };
        var provider = await fixture.PostAsync($"/api/clinics/{clinicId}/providers", new
        {
            name = "Dr. Test",
            specialty = "Family medicine",
            workingHours = days.Select(day => new { day, start = "08:00:00", end = "20:00:00" }).ToArray(),
            timeOff = Array.Empty<object>(),
        });
        return (clinicId, provider.GetProperty("id").GetString()!);
    }

    public static async Task<string> PatientAsync(this FhirFixture fixture, string clinicId, string mrn, string given = "Alex", string family = "Tester", string birthDate = "1980-01-31") =>
        (await fixture.PostAsync($"/api/clinics/{clinicId}/patients", new
        {
            mrn,
            givenName = given,
            familyName = family,
            birthDate,
            sex = "female",
            phone = "+1 (212) 555-0100",
            email = "alex@example.org",
            address = new { line1 = "1 Main St", line2 = (string?)null, city = "New York", region = "NY", postalCode = "10001", country = "US" },
        })).GetProperty("id").GetString()!;

    /// <summary>A checkup a week ahead at 10:00 New York time.</summary>
    public static async Task<string> BookAsync(this FhirFixture fixture, string clinicId, string providerId, string patientId)
    {
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, NewYork).DateTime);
        var local = today.AddDays(7).ToDateTime(new TimeOnly(10, 0));
        var start = new DateTimeOffset(local, NewYork.GetUtcOffset(local));
        return (await fixture.PostAsync($"/api/clinics/{clinicId}/appointments", new
        {
            patientId,
            providerId,
            appointmentType = "checkup",
            start = start.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture),
            reason = "Annual checkup",
        })).GetProperty("id").GetString()!;
    }

    public static async Task<JsonElement> PostAsync(this FhirFixture fixture, string path, object body)
    {
        using var http = fixture.Http();
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        request.Headers.Authorization = new("Bearer", FhirFixture.AdminToken);
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
