using System.Net;
using ClinicCluster.Audit;
using ClinicCluster.Fhir.Hosting;
using Hl7.Fhir.Model;

namespace ClinicCluster.Fhir.Tests;

/// <summary><c>POST Appointment</c> (If-None-Exist, Idempotency-Key) and <c>$book</c> on the native ledger path.</summary>
[Collection(FhirCollection.Name)]
public sealed class BookingTests(FhirFixture fixture)
{
    [Fact]
    public async System.Threading.Tasks.Task Create_is_201_at_history_1_and_If_None_Exist_answers_one_match_with_200_and_several_with_412()
    {
        var (clinicId, providerId) = await fixture.VisitClinicAsync();
        var patientId = await fixture.PatientAsync(clinicId, NativeSetup.NewMrn());
        var start = VisitClinic.NextOpenStart(TimeSpan.FromHours(2));
        var body = FhirJson.Serialize(VisitClinic.ToBook(patientId, providerId, start));
        var uri = $"/fhir/clinics/{clinicId}/Appointment";
        var condition = ("If-None-Exist", $"patient=Patient/{patientId}&status=booked");
        var marker = "fhir-create-" + Guid.NewGuid().ToString("N")[..8];

        using var created = await fixture.SendAsync(HttpMethod.Post, uri, FhirFixture.AdminToken, body, marker, condition);
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var appointment = await created.ReadAsync<Appointment>();
        Assert.EndsWith($"/fhir/clinics/{clinicId}/Appointment/{appointment.Id}/_history/1", created.Headers.Location!.ToString(), StringComparison.Ordinal);
        Assert.Equal("W/\"1\"", created.Headers.ETag?.ToString());

        using var matched = await fixture.SendAsync(HttpMethod.Post, uri, FhirFixture.AdminToken, body, marker, condition);
        Assert.Equal(HttpStatusCode.OK, matched.StatusCode);
        Assert.Equal(appointment.Id, (await matched.ReadAsync<Appointment>()).Id);

        var later = FhirJson.Serialize(VisitClinic.ToBook(patientId, providerId, start.AddHours(1)));
        using var second = await fixture.SendAsync(HttpMethod.Post, uri, FhirFixture.AdminToken, later, marker);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        using var several = await fixture.SendAsync(HttpMethod.Post, uri, FhirFixture.AdminToken, later, marker, condition);
        await ConformanceTests.ExpectOutcomeAsync(several, HttpStatusCode.PreconditionFailed, OperationOutcome.IssueType.Conflict);

        var events = await fixture.EventsMarkedAsync(clinicId, marker, atLeast: 4);
        Assert.Equal([201, 200, 201, 412], events.OrderBy(e => e.RecordedAt).Select(e => e.HttpStatus));
        Assert.All(events, e => Assert.Equal((AuditAction.Create, patientId), (e.Action, e.PatientId)));
    }

    [Fact]
    public async System.Threading.Tasks.Task The_native_Idempotency_Key_replays_the_same_appointment_and_an_overlap_is_409()
    {
        var (clinicId, providerId) = await fixture.VisitClinicAsync();
        var patientId = await fixture.PatientAsync(clinicId, NativeSetup.NewMrn());
        var body = FhirJson.Serialize(VisitClinic.ToBook(patientId, providerId, VisitClinic.NextOpenStart(TimeSpan.FromHours(2))));
        var key = ("Idempotency-Key", Guid.NewGuid().ToString());
        var uri = $"/fhir/clinics/{clinicId}/Appointment";

        using var first = await fixture.SendAsync(HttpMethod.Post, uri, FhirFixture.AdminToken, body, null, key);
        using var replay = await fixture.SendAsync(HttpMethod.Post, uri, FhirFixture.AdminToken, body, null, key);
        Assert.Equal((await first.ReadAsync<Appointment>()).Id, (await replay.ReadAsync<Appointment>()).Id);

        var otherPatient = await fixture.PatientAsync(clinicId, NativeSetup.NewMrn());
        var overlap = (Appointment)(await first.ReadAsync<Appointment>()).DeepCopy();
        overlap.Id = null;
        overlap.Participant[0].Actor = new ResourceReference("Patient/" + otherPatient);
        using var taken = await fixture.SendAsync(HttpMethod.Post, uri + "/$book", FhirFixture.AdminToken, FhirJson.Serialize(overlap));
        await ConformanceTests.ExpectOutcomeAsync(taken, HttpStatusCode.Conflict, OperationOutcome.IssueType.Conflict);
    }

    [Fact]
    public async System.Threading.Tasks.Task Two_concurrent_identical_book_calls_give_one_appointment()
    {
        var (clinicId, providerId) = await fixture.VisitClinicAsync();
        var patientId = await fixture.PatientAsync(clinicId, NativeSetup.NewMrn());
        var parameters = new Parameters();
        parameters.Add("appointment-resource", VisitClinic.ToBook(patientId, providerId, VisitClinic.NextOpenStart(TimeSpan.FromHours(2))));
        var body = FhirJson.Serialize(parameters);

        var responses = await System.Threading.Tasks.Task.WhenAll(Enumerable.Range(0, 2).Select(_ =>
            fixture.SendAsync(HttpMethod.Post, $"/fhir/clinics/{clinicId}/Appointment/$book", FhirFixture.AdminToken, body)));

        Assert.Equal([HttpStatusCode.Created, HttpStatusCode.Conflict], responses.Select(r => r.StatusCode).Order());
        using var list = await fixture.SendAsync(HttpMethod.Get, $"/fhir/clinics/{clinicId}/Appointment?patient=Patient/{patientId}", FhirFixture.AdminToken);
        Assert.Single((await list.ReadAsync<Bundle>()).Entry);
    }

    [Fact]
    public async System.Threading.Tasks.Task Book_with_cancelled_appt_id_reschedules_that_appointment()
    {
        var (clinicId, providerId) = await fixture.VisitClinicAsync();
        var patientId = await fixture.PatientAsync(clinicId, NativeSetup.NewMrn());
        var start = VisitClinic.NextOpenStart(TimeSpan.FromHours(2));
        using var created = await fixture.SendAsync(HttpMethod.Post, $"/fhir/clinics/{clinicId}/Appointment", FhirFixture.AdminToken,
            FhirJson.Serialize(VisitClinic.ToBook(patientId, providerId, start)));
        var id = (await created.ReadAsync<Appointment>()).Id;
        var parameters = new Parameters();
        parameters.Add("appt-resource", VisitClinic.ToBook(patientId, providerId, start.AddHours(1)));
        parameters.Add("cancelled-appt-id", new Id(id));

        using var moved = await fixture.SendAsync(HttpMethod.Post, $"/fhir/clinics/{clinicId}/Appointment/$book", FhirFixture.AdminToken, FhirJson.Serialize(parameters));

        Assert.True(moved.StatusCode == HttpStatusCode.OK, await moved.Content.ReadAsStringAsync());
        var appointment = await moved.ReadAsync<Appointment>();
        Assert.Equal((id, start.AddHours(1), "2"), (appointment.Id, appointment.Start, appointment.Meta!.VersionId));
    }
}
