using System.Globalization;
using System.Net;
using ClinicCluster.Api.Auth;
using ClinicCluster.Audit;
using ClinicCluster.Common;
using ClinicCluster.Fhir.Slots;
using Hl7.Fhir.Model;

namespace ClinicCluster.Fhir.Tests;

/// <summary>Slot search and read, computed from the provider's calendar; every body validated by the client's handler.</summary>
[Collection(FhirCollection.Name)]
public sealed class SlotTests(FhirFixture fixture)
{
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    [Fact]
    public async System.Threading.Tasks.Task Slots_are_free_or_busy_from_the_calendar_with_ids_that_name_the_same_slot_on_every_call()
    {
        var (clinicId, providerId) = await fixture.VisitClinicAsync();
        var patientId = await fixture.PatientAsync(clinicId, NativeSetup.NewMrn());
        var day = Day(2);
        var booked = At(day, 10, 0);
        using (var created = await fixture.SendAsync(HttpMethod.Post, $"/fhir/clinics/{clinicId}/Appointment", FhirFixture.AdminToken,
            Hosting.FhirJson.Serialize(VisitClinic.ToBook(patientId, providerId, booked))))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        var token = FhirFixture.Token(Roles.FrontDesk, clinicId);
        var search = $"/fhir/clinics/{clinicId}/Slot?schedule=Schedule/{providerId}&start=ge{Iso(day)}&start=lt{Iso(day.AddDays(1))}&_count=100";
        var slots = await SlotsAsync(search, token);

        var busy = Assert.Single(slots, s => s.Status == Slot.SlotStatus.Busy);
        Assert.Equal((booked, booked.AddMinutes(30)), (busy.Start!.Value, busy.End!.Value));
        var free = slots.Where(s => s.Status == Slot.SlotStatus.Free).ToList();
        Assert.True(free.Count > 20);
        // No free slot overlaps the visit and its 10-minute buffer; every slot is the provider's and the checkup's, by start.
        Assert.DoesNotContain(free, s => s.Start < booked.AddMinutes(40) && s.End > booked);
        Assert.All(slots, s => Assert.Equal(("Schedule/" + providerId, "checkup"), (s.Schedule!.Reference, s.AppointmentType!.Coding.Single().Code)));
        Assert.Equal(slots.OrderBy(s => s.Start).Select(s => s.Id), slots.Select(s => s.Id));
        Assert.All(slots, s => Assert.True(Identifiers.IsValid(s.Id) && s.Id!.Length <= 64));

        // The same search again names the same slots; a read by id answers each one as the search did.
        Assert.Equal(slots.Select(s => s.Id), (await SlotsAsync(search, token)).Select(s => s.Id));
        foreach (var expected in new[] { busy, free[0], free[^1] })
        {
            using var response = await fixture.SendAsync(HttpMethod.Get, $"/fhir/clinics/{clinicId}/Slot/{expected.Id}", token);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var read = await response.ReadAsync<Slot>();
            Assert.Equal((expected.Id, expected.Status, expected.Start, expected.End), (read.Id, read.Status, read.Start, read.End));
        }

        Assert.Equal([busy.Id], (await SlotsAsync(search + "&status=busy", token)).Select(s => s.Id));
        Assert.Equal(free.Select(s => s.Id), (await SlotsAsync(search + "&status=free&appointment-type=checkup", token)).Select(s => s.Id));
    }

    [Fact]
    public async System.Threading.Tasks.Task Walking_the_pages_while_a_visit_is_booked_gives_every_slot_once()
    {
        var (clinicId, providerId) = await fixture.VisitClinicAsync();
        var patientId = await fixture.PatientAsync(clinicId, NativeSetup.NewMrn());
        var day = Day(3);
        var token = FhirFixture.Token(Roles.FrontDesk, clinicId);
        var search = $"/fhir/clinics/{clinicId}/Slot?schedule={providerId}&start=ge{Iso(day)}&start=lt{Iso(day.AddDays(1))}&status=free,busy";

        var walked = new List<Slot>();
        var uri = search + "&_count=7";
        var pages = 0;
        for (; uri is not null && pages < 50; pages++)
        {
            using var response = await fixture.SendAsync(HttpMethod.Get, uri, token);
            Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
            var bundle = await response.ReadAsync<Bundle>();
            Assert.Null(bundle.Total);
            walked.AddRange(bundle.Entry.Select(e => (Slot)e.Resource!));
            uri = bundle.Link.SingleOrDefault(l => l.Relation == "next")?.Url is { } next ? new Uri(next).PathAndQuery : null;
            Assert.True(uri is null || uri.Split('?')[1].Split('&').All(p => p.Split('=')[0] is "schedule" or "appointment-type" or "start" or "status" or "_count" or "_cursor"));
            if (pages == 0)
            {
                // A visit booked on a later page, between two pages.
                var later = At(day, 15, 0);
                using var created = await fixture.SendAsync(HttpMethod.Post, $"/fhir/clinics/{clinicId}/Appointment", FhirFixture.AdminToken,
                    Hosting.FhirJson.Serialize(VisitClinic.ToBook(patientId, providerId, later)));
                Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            }
        }

        Assert.True(pages > 2);
        Assert.Equal(walked.Count, walked.Select(s => s.Id).Distinct().Count());
        var after = await SlotsAsync(search + "&_count=100", token);
        Assert.Equal(walked.Take(7).Concat(after.Where(s => s.Start > walked[6].Start)).Select(s => (s.Id, s.Status)), walked.Select(s => (s.Id, s.Status)));
        Assert.Contains(walked, s => s.Status == Slot.SlotStatus.Busy);
    }

    [Fact]
    public async System.Threading.Tasks.Task Each_slot_request_is_one_audit_event()
    {
        var (clinicId, providerId) = await fixture.VisitClinicAsync();
        var marker = "fhir-slot-" + Guid.NewGuid().ToString("N")[..8];
        var token = FhirFixture.Token(Roles.Clinician, clinicId);
        using var search = await fixture.SendAsync(HttpMethod.Get,
            $"/fhir/clinics/{clinicId}/Slot?schedule={providerId}&start=ge{Iso(Day(1))}&_count=1", token, marker: marker);
        var slot = (Slot)(await search.ReadAsync<Bundle>()).Entry.Single().Resource!;
        using var read = await fixture.SendAsync(HttpMethod.Get, $"/fhir/clinics/{clinicId}/Slot/{slot.Id}", token, marker: marker);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);

        var events = await fixture.EventsMarkedAsync(clinicId, marker, atLeast: 2);
        Assert.Equal([(AuditAction.Read, "Slot", slot.Id), (AuditAction.Search, "Slot", null)],
            events.OrderBy(e => e.Action).Select(e => (e.Action, e.ResourceType, e.ResourceId)));
    }

    [Theory]
    [InlineData("Slot?start=ge2026-01-01")]
    [InlineData("Slot?schedule={p}")]
    [InlineData("Slot?schedule=Schedule/SecretValue&start=ge2026-01-01")]
    [InlineData("Slot?schedule={p}&start=gtSecretValue")]
    [InlineData("Slot?schedule={p}&start=geSecretValue")]
    [InlineData("Slot?schedule={p}&start=ge2026-01-01&start=ge2026-01-02")]
    [InlineData("Slot?schedule={p}&start=ge2026-01-01&start=lt2026-03-01")]
    [InlineData("Slot?schedule={p}&start=ge2026-01-02&start=lt2026-01-01")]
    [InlineData("Slot?schedule={p}&start=ge2026-01-01&status=SecretValue")]
    [InlineData("Slot?schedule={p}&start=ge2026-01-01&appointment-type=SecretValue")]
    [InlineData("Slot?schedule={p}&start=ge2026-01-01&appointment-type=http://other|checkup")]
    [InlineData("Slot?schedule={p}&start=ge2026-01-01&_cursor=SecretValue")]
    [InlineData("Slot?schedule={p}&start=ge2026-01-01&_count=0")]
    [InlineData("Slot?schedule={p}&start=ge2026-01-01&SecretValue=1")]
    [InlineData("Slot/SecretValue")]
    [InlineData("Slot/20260101100000-0123456789abcdef-0123456")]
    [InlineData("Slot/00010101000000-0123456789abcdef-01234567")]
    [InlineData("Slot/99991231235959-0123456789abcdef-01234567")]
    [InlineData("Practitioner?SecretValue=1")]
    [InlineData("Practitioner?name=Secret%01Value")]
    [InlineData("Practitioner?_cursor=SecretValue")]
    [InlineData("Schedule?actor=Practitioner/SecretValue")]
    [InlineData("Schedule?name=SecretValue")]
    [InlineData("Location/SecretValue")]
    public async System.Threading.Tasks.Task Bad_directory_and_slot_input_is_400_without_echo(string path)
    {
        var (clinicId, providerId) = await fixture.VisitClinicAsync();
        using var response = await fixture.SendAsync(HttpMethod.Get, $"/fhir/clinics/{clinicId}/{path.Replace("{p}", providerId, StringComparison.Ordinal)}", FhirFixture.AdminToken);
        var outcome = await ConformanceTests.ExpectOutcomeAsync(response, HttpStatusCode.BadRequest, OperationOutcome.IssueType.Invalid);
        Assert.DoesNotContain("SecretValue", outcome.Issue[0].Diagnostics, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Slot/20260101100000-0123456789abcdef-01234567")]
    [InlineData("Organization/c-other")]
    [InlineData("Location/c-other")]
    [InlineData("Practitioner/p-none")]
    public async System.Threading.Tasks.Task Unknown_ids_are_404(string path)
    {
        var (clinicId, _) = await fixture.VisitClinicAsync();
        using var response = await fixture.SendAsync(HttpMethod.Get, $"/fhir/clinics/{clinicId}/{path}", FhirFixture.AdminToken);
        await ConformanceTests.ExpectOutcomeAsync(response, HttpStatusCode.NotFound, OperationOutcome.IssueType.NotFound);
    }

    [Fact]
    public void A_slot_id_is_its_start_provider_and_type_and_parses_back()
    {
        var start = new DateTimeOffset(2026, 12, 8, 10, 15, 0, TimeSpan.FromHours(-5));
        var id = SlotId.Of("prv-1", "checkup", start);

        Assert.Equal(SlotId.Length, id.Length);
        Assert.True(Identifiers.IsValid(id));
        Assert.StartsWith("20261208151500-", id, StringComparison.Ordinal);
        Assert.Equal(id, SlotId.Of("prv-1", "CheckUp", start.ToUniversalTime()));
        Assert.NotEqual(id, SlotId.Of("prv-2", "checkup", start));
        Assert.NotEqual(id, SlotId.Of("prv-1", "follow-up", start));
        Assert.Equal(new SlotKey(start.ToUniversalTime(), SlotId.ProviderHash("prv-1"), SlotId.TypeHash("checkup")), SlotId.Parse(id));
        Assert.Null(SlotId.Parse(id.Replace("2026120815", "2026133115", StringComparison.Ordinal)));
    }

    private async Task<List<Slot>> SlotsAsync(string uri, string token)
    {
        using var response = await fixture.SendAsync(HttpMethod.Get, uri, token);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var bundle = await response.ReadAsync<Bundle>();
        Assert.DoesNotContain(bundle.Link, l => l.Relation == "next");
        return bundle.Entry.Select(e => (Slot)e.Resource!).ToList();
    }

    private static string Iso(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static DateOnly Day(int ahead) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, NewYork).DateTime).AddDays(ahead);

    private static DateTimeOffset At(DateOnly day, int hour, int minute)
    {
        var local = day.ToDateTime(new TimeOnly(hour, minute));
        return new DateTimeOffset(local, NewYork.GetUtcOffset(local));
    }
}
