using System.Net.Http.Headers;
using System.Text;
using ClinicCluster.Fhir.Hosting;
using Hl7.Fhir.Model;

namespace ClinicCluster.Fhir.Tests;

/// <summary>
/// Set-up for the write tests: a clinic whose policy lets a visit booked now be checked in and
/// cancelled at once (no notice, no cutoff, check-in open a day ahead), and raw FHIR requests.
/// </summary>
public static class VisitClinic
{
    /// <summary>A New York clinic (one 30-minute checkup type, buffer 10) with one provider working 08-20 every day.</summary>
    public static async Task<(string ClinicId, string ProviderId)> VisitClinicAsync(this FhirFixture fixture, int providers = 1)
    {
        var clinicId = "c-" + Guid.NewGuid().ToString("N")[..8];
        await fixture.PostAsync("/api/clinics", new
        {
            id = clinicId,
            name = "FHIR visit clinic",
            timeZone = "America/New_York",
            appointmentTypes = new[] { new { name = "checkup", durationMinutes = 30, bufferMinutes = 10 } },
            policy = new { minimumNoticeMinutes = 0, maximumHorizonDays = 90, cancellationCutoffMinutes = 0, slotIntervalMinutes = 15, checkInOpensMinutes = 1440 },
        });
        var days = new[] { "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday" };
        string first = "";
        for (var i = 0; i < providers; i++)
        {
            var provider = await fixture.PostAsync($"/api/clinics/{clinicId}/providers", new
            {
                name = $"Dr. Visit {i}",
                specialty = "Family medicine",
                workingHours = days.Select(day => new { day, start = "08:00:00", end = "20:00:00" }).ToArray(),
                timeOff = Array.Empty<object>(),
            });
            first = i == 0 ? provider.GetProperty("id").GetString()! : first;
        }

        return (clinicId, first);
    }

    /// <summary>A checkup as a FHIR Appointment to book: the patient, the practitioner, the type and the start.</summary>
    public static Appointment ToBook(string patientId, string providerId, DateTimeOffset start) => new()
    {
        Status = Appointment.AppointmentStatus.Booked,
        AppointmentType = new CodeableConcept(Appointments.AppointmentMapper.AppointmentTypeSystem, "checkup"),
        Start = start,
        End = start.AddMinutes(30),
        Participant =
        [
            new Appointment.ParticipantComponent { Actor = new ResourceReference("Patient/" + patientId), Status = ParticipationStatus.Accepted },
            new Appointment.ParticipantComponent { Actor = new ResourceReference("Practitioner/" + providerId), Status = ParticipationStatus.Accepted },
        ],
    };

    /// <summary>The next 15-minute boundary at least <paramref name="ahead"/> from now that lies in 08:00-18:30 New York time (an hour later is still open).</summary>
    public static DateTimeOffset NextOpenStart(TimeSpan ahead)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
        var t = DateTimeOffset.UtcNow + ahead;
        t = new DateTimeOffset(t.Ticks - (t.Ticks % TimeSpan.FromMinutes(15).Ticks), TimeSpan.Zero).AddMinutes(15);
        for (var i = 0; i < 200; i++, t = t.AddMinutes(15))
        {
            var local = TimeZoneInfo.ConvertTime(t, zone);
            if (local.TimeOfDay >= TimeSpan.FromHours(8) && local.TimeOfDay <= TimeSpan.FromHours(18.5))
            {
                return local;
            }
        }

        throw new InvalidOperationException("No open start found.");
    }

    public static async Task<HttpResponseMessage> SendAsync(this FhirFixture fixture, HttpMethod method, string uri, string? token,
        string? json = null, string? marker = null, params (string Name, string Value)[] headers)
    {
        using var http = fixture.Http(marker);
        using var request = new HttpRequestMessage(method, uri);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(FhirJson.MediaType);
        }

        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        var response = await http.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    public static async Task<T> ReadAsync<T>(this HttpResponseMessage response)
        where T : Resource =>
        FhirJson.Deserialize<T>(await response.Content.ReadAsStringAsync());
}
