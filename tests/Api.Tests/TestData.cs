using System.Globalization;
using System.Net;
using System.Text.Json;
using ClinicCluster.Scheduling;
using Microsoft.Extensions.DependencyInjection;

namespace ClinicCluster.Api.Tests;

/// <summary>A clinic created for one test, with one provider.</summary>
public sealed record TestClinic(string Id, string ProviderId)
{
    public string Path => $"/api/clinics/{Id}";
}

/// <summary>Request bodies, instants and set-up through the API (as an administrator of every clinic).</summary>
public static class TestData
{
    public const string NewYorkZoneId = "America/New_York";
    public const string Checkup = "checkup";

    public static readonly string[] Days = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

    private static readonly TimeZoneInfo NewYorkZone = TimeZoneInfo.FindSystemTimeZoneById(NewYorkZoneId);

    /// <summary>"c-" and 8 lower-case hex digits.</summary>
    public static string NewClinicId() => "c-" + Guid.NewGuid().ToString("N")[..8];

    public static string NewMrn() => "MRN-" + Guid.NewGuid().ToString("N")[..12].ToUpperInvariant();

    public static object ClinicBody(string id, object? policy = null, string timeZone = NewYorkZoneId, string name = "Test clinic") => new
    {
        id,
        name,
        timeZone,
        appointmentTypes = new[] { new { name = Checkup, durationMinutes = 30, bufferMinutes = 10 } },
        policy,
    };

    /// <summary>
    /// The default policy, spelled out: 2 h notice, 90 days ahead, 24 h cancellation cutoff, 15-minute
    /// grid; check-in from 2 h before the start to 30 min after the end, a no-show from 15 min after the start.
    /// </summary>
    public static object DefaultPolicy() => Policy(120, 90, 1440, 15);

    public static object Policy(int minimumNoticeMinutes, int maximumHorizonDays, int cancellationCutoffMinutes, int slotIntervalMinutes,
        int checkInOpensMinutes = 120, int checkInGraceMinutes = 30, int noShowGraceMinutes = 15) => new
        {
            minimumNoticeMinutes,
            maximumHorizonDays,
            cancellationCutoffMinutes,
            slotIntervalMinutes,
            checkInOpensMinutes,
            checkInGraceMinutes,
            noShowGraceMinutes,
        };

    public static object ProviderBody(string name = "Dr. Test", string start = "08:00:00", string end = "20:00:00") => new
    {
        name,
        specialty = "Family medicine",
        workingHours = Days.Select(day => new { day, start, end }).ToArray(),
        timeOff = Array.Empty<object>(),
    };

    public static object PatientBody(string? mrn = null, string givenName = "Alex", string familyName = "Tester") => new
    {
        mrn = mrn ?? NewMrn(),
        givenName,
        familyName,
        birthDate = "1980-01-31",
        sex = "female",
        phone = "+1 (212) 555-0100",
        email = "alex@example.org",
    };

    public static object BookingBody(string patientId, string providerId, DateTimeOffset start, string? reason = "Annual checkup") => new
    {
        patientId,
        providerId,
        appointmentType = Checkup,
        start = Iso(start),
        reason,
    };

    /// <summary>A wall-clock time in New York some days from today, with New York's offset on that date.</summary>
    public static DateTimeOffset NewYork(int daysAhead, int hour, int minute = 0)
    {
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, NewYorkZone).DateTime);
        var local = today.AddDays(daysAhead).ToDateTime(new TimeOnly(hour, minute));
        return new DateTimeOffset(local, NewYorkZone.GetUtcOffset(local));
    }

    /// <summary>The New York date of an instant, as the API's query strings want it.</summary>
    public static string NewYorkDate(DateTimeOffset instant) =>
        TimeZoneInfo.ConvertTime(instant, NewYorkZone).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>ISO 8601 with the offset, such as 2026-03-09T10:00:00-04:00.</summary>
    public static string Iso(DateTimeOffset instant) => instant.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    /// <summary>
    /// A fixed-offset IANA zone ("Etc/GMT-3" is UTC+3) in which it is now about noon, so a provider
    /// working 00:00-23:59:59 there can take a visit within the next hours whatever the real time is.
    /// </summary>
    public static string ZoneWhereItIsNoon()
    {
        var offset = 12 - DateTimeOffset.UtcNow.Hour;
        if (offset > 14)
        {
            offset -= 24;
        }

        return offset switch
        {
            0 => "Etc/UTC",
            > 0 => $"Etc/GMT-{offset}",
            _ => $"Etc/GMT+{-offset}",
        };
    }

    public static async Task<TestClinic> CreateClinicAsync(
        this ApiFixture fixture,
        object? policy = null,
        string timeZone = NewYorkZoneId,
        string providerStart = "08:00:00",
        string providerEnd = "20:00:00")
    {
        var id = NewClinicId();
        using var created = await fixture.Api.PostAsync("/api/clinics", ApiFixture.AdminToken, ClinicBody(id, policy, timeZone));
        await created.ExpectAsync(HttpStatusCode.Created);
        var providerId = await fixture.AddProviderAsync(id, providerStart, providerEnd);
        return new TestClinic(id, providerId);
    }

    /// <summary>A clinic with no minimum notice whose provider works all day, in a zone where it is now about noon.</summary>
    public static Task<TestClinic> CreateClinicOpenNowAsync(this ApiFixture fixture, int cancellationCutoffMinutes = 0, int noShowGraceMinutes = 15) =>
        fixture.CreateClinicAsync(Policy(0, 90, cancellationCutoffMinutes, 15, noShowGraceMinutes: noShowGraceMinutes), ZoneWhereItIsNoon(), "00:00:00", "23:59:59");

    /// <summary>
    /// Books <paramref name="patientId"/> (a new patient when null) to start two seconds from now and
    /// waits until the visit has started, so it can be completed (the visit-time rules follow the real
    /// clock here). Needs a clinic without minimum notice whose provider works now (<see cref="CreateClinicOpenNowAsync"/>).
    /// </summary>
    public static async Task<string> BookStartedAsync(this ApiFixture fixture, TestClinic clinic, string? patientId = null)
    {
        var now = DateTimeOffset.UtcNow;
        var start = new DateTimeOffset(now.Ticks - now.Ticks % TimeSpan.TicksPerSecond, TimeSpan.Zero).AddSeconds(2);
        var id = (await fixture.BookAsync(clinic, patientId ?? await fixture.RegisterPatientAsync(clinic.Id), start)).Str("id");
        var wait = start - DateTimeOffset.UtcNow + TimeSpan.FromMilliseconds(200);
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait);
        }

        return id;
    }

    public static async Task<string> AddProviderAsync(this ApiFixture fixture, string clinicId, string start = "08:00:00", string end = "20:00:00", string name = "Dr. Test")
    {
        using var response = await fixture.Api.PostAsync($"/api/clinics/{clinicId}/providers", ApiFixture.AdminToken, ProviderBody(name, start, end));
        return (await response.ExpectAsync(HttpStatusCode.Created)).Str("id");
    }

    public static async Task<string> RegisterPatientAsync(this ApiFixture fixture, string clinicId, string? mrn = null, string givenName = "Alex", string familyName = "Tester")
    {
        using var response = await fixture.Api.PostAsync(
            $"/api/clinics/{clinicId}/patients", ApiFixture.AdminToken, PatientBody(mrn, givenName, familyName));
        return (await response.ExpectAsync(HttpStatusCode.Created)).Str("id");
    }

    public static async Task<JsonElement> BookAsync(this ApiFixture fixture, TestClinic clinic, string patientId, DateTimeOffset start, string? providerId = null)
    {
        using var response = await fixture.Api.PostAsync(
            $"{clinic.Path}/appointments", ApiFixture.AdminToken, BookingBody(patientId, providerId ?? clinic.ProviderId, start));
        return await response.ExpectAsync(HttpStatusCode.Created);
    }

    /// <summary>Books a fresh patient at <paramref name="start"/> and returns the appointment id.</summary>
    public static async Task<string> BookNewPatientAsync(this ApiFixture fixture, TestClinic clinic, DateTimeOffset start)
    {
        var patientId = await fixture.RegisterPatientAsync(clinic.Id);
        return (await fixture.BookAsync(clinic, patientId, start)).Str("id");
    }

    /// <summary>
    /// Writes a checkup straight into the silo's ledger (the embedded default's), at any time and in
    /// any status: a visit that ended an hour ago cannot be booked through the API.
    /// </summary>
    public static async Task<string> SeedVisitAsync(this ApiFixture fixture, TestClinic clinic, string patientId, DateTimeOffset start, string status)
    {
        var ledger = fixture.SiloServices.GetRequiredService<IAppointmentLedger>();
        var id = "apt-seeded-" + Guid.NewGuid().ToString("N")[..12];
        var end = start.AddMinutes(30);
        var row = new LedgerRow(clinic.Id, id, patientId, clinic.ProviderId, Checkup, start, end, 10,
            Enum.GetValues<AppointmentStatus>().Single(s => AppointmentTransitions.Name(s) == status), "Etc/UTC", null, null, null,
            start, start, start, end, Version: 1);
        Assert.Equal(LedgerWriteOutcome.Written, (await ledger.InsertAsync(row)).Outcome);
        return id;
    }

    public static async Task<JsonElement> PostActionAsync(this ApiFixture fixture, TestClinic clinic, string appointmentId, string action, HttpStatusCode expected, string? code = null)
    {
        using var response = await fixture.Api.SendAsync(HttpMethod.Post, $"{clinic.Path}/appointments/{appointmentId}/{action}", ApiFixture.AdminToken);
        return (int)expected >= 400 ? await response.ExpectProblemAsync(expected, code) : await response.ExpectAsync(expected);
    }
}
