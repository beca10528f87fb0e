using System.Net;
using ClinicCluster.Api.Auth;
using ClinicCluster.Audit;
using ClinicCluster.Fhir.Hosting;
using Hl7.Fhir.Model;

namespace ClinicCluster.Fhir.Tests;

/// <summary>Versions on reads and the conditional <c>PUT Appointment</c>: If-Match required, stale 412, only the native verbs' changes.</summary>
[Collection(FhirCollection.Name)]
public sealed class VersionedUpdateTests(FhirFixture fixture)
{
    [Fact]
    public async System.Threading.Tasks.Task Reads_carry_meta_versionId_and_a_weak_ETag_that_a_native_update_advances()
    {
        var (clinicId, _) = await fixture.ClinicAsync();
        var mrn = NativeSetup.NewMrn();
        var patientId = await fixture.PatientAsync(clinicId, mrn);
        using var first = await fixture.SendAsync(HttpMethod.Get, $"/fhir/clinics/{clinicId}/Patient/{patientId}", FhirFixture.AdminToken);
        Assert.Equal("W/\"1\"", first.Headers.ETag?.ToString());
        Assert.Equal("1", (await first.ReadAsync<Patient>()).Meta!.VersionId);

        using var http = fixture.Http();
        using var put = new HttpRequestMessage(HttpMethod.Put, $"/api/clinics/{clinicId}/patients/{patientId}")
        {
            Content = System.Net.Http.Json.JsonContent.Create(new { mrn, givenName = "Alexa", familyName = "Tester", birthDate = "1980-01-31", sex = "female" }),
        };
        put.Headers.Authorization = new("Bearer", FhirFixture.AdminToken);
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(put)).StatusCode);

        using var second = await fixture.SendAsync(HttpMethod.Get, $"/fhir/clinics/{clinicId}/Patient/{patientId}", FhirFixture.AdminToken);
        Assert.Equal("W/\"2\"", second.Headers.ETag?.ToString());
        Assert.Equal("2", (await second.ReadAsync<Patient>()).Meta!.VersionId);
    }

    [Fact]
    public async System.Threading.Tasks.Task Check_in_with_If_Match_advances_the_version_once_a_stale_or_missing_one_is_refused_and_each_is_audited_once()
    {
        var (clinicId, appointmentId, _) = await BookAsync();
        var uri = $"/fhir/clinics/{clinicId}/Appointment/{appointmentId}";
        using var read = await fixture.SendAsync(HttpMethod.Get, uri, FhirFixture.AdminToken);
        Assert.Equal("W/\"1\"", read.Headers.ETag?.ToString());
        var appointment = await read.ReadAsync<Appointment>();
        appointment.Status = Appointment.AppointmentStatus.Arrived;
        var body = FhirJson.Serialize(appointment);
        var marker = "fhir-put-" + Guid.NewGuid().ToString("N")[..8];

        using var missing = await fixture.SendAsync(HttpMethod.Put, uri, FhirFixture.AdminToken, body, marker);
        Assert.Equal(HttpStatusCode.PreconditionRequired, missing.StatusCode);
        using var updated = await fixture.SendAsync(HttpMethod.Put, uri, FhirFixture.AdminToken, body, marker, ("If-Match", "W/\"1\""));
        Assert.True(updated.StatusCode == HttpStatusCode.OK, await updated.Content.ReadAsStringAsync());
        Assert.Equal("W/\"2\"", updated.Headers.ETag?.ToString());
        Assert.Equal(Appointment.AppointmentStatus.Arrived, (await updated.ReadAsync<Appointment>()).Status);
        using var stale = await fixture.SendAsync(HttpMethod.Put, uri, FhirFixture.AdminToken, body, marker, ("If-Match", "W/\"1\""));
        await ConformanceTests.ExpectOutcomeAsync(stale, HttpStatusCode.PreconditionFailed, OperationOutcome.IssueType.Conflict);

        var events = await fixture.EventsMarkedAsync(clinicId, marker, atLeast: 3);
        Assert.Equal([428, 200, 412], events.OrderBy(e => e.RecordedAt).Select(e => e.HttpStatus));
        Assert.All(events, e => Assert.Equal((AuditAction.Update, appointmentId), (e.Action, e.ResourceId)));
    }

    [Fact]
    public async System.Threading.Tasks.Task Another_field_change_is_422_and_a_reschedule_or_a_cancellation_goes_through_the_native_verbs()
    {
        var (clinicId, appointmentId, start) = await BookAsync();
        var uri = $"/fhir/clinics/{clinicId}/Appointment/{appointmentId}";
        var current = await (await fixture.SendAsync(HttpMethod.Get, uri, FhirFixture.AdminToken)).ReadAsync<Appointment>();

        var other = (Appointment)current.DeepCopy();
        other.Comment = "not stored here";
        using var refused = await fixture.SendAsync(HttpMethod.Put, uri, FhirFixture.AdminToken, FhirJson.Serialize(other), null, ("If-Match", "W/\"1\""));
        var outcome = await ConformanceTests.ExpectOutcomeAsync(refused, HttpStatusCode.UnprocessableEntity, OperationOutcome.IssueType.BusinessRule);
        Assert.DoesNotContain("not stored here", outcome.Issue[0].Diagnostics, StringComparison.Ordinal);

        var moved = (Appointment)current.DeepCopy();
        moved.Start = start.AddHours(1);
        moved.End = start.AddHours(1).AddMinutes(30);
        using var rescheduled = await fixture.SendAsync(HttpMethod.Put, uri, FhirFixture.AdminToken, FhirJson.Serialize(moved), null, ("If-Match", "W/\"1\""));
        Assert.True(rescheduled.StatusCode == HttpStatusCode.OK, await rescheduled.Content.ReadAsStringAsync());
        Assert.Equal(start.AddHours(1), (await rescheduled.ReadAsync<Appointment>()).Start);

        var cancel = await rescheduled.ReadAsync<Appointment>();
        cancel.Status = Appointment.AppointmentStatus.Cancelled;
        cancel.CancelationReason = new CodeableConcept(ClinicCluster.Scheduling.CancellationReasonCodes.FhirSystem, "pat");
        using var cancelled = await fixture.SendAsync(HttpMethod.Put, uri, FhirFixture.Token(Roles.FrontDesk, clinicId), FhirJson.Serialize(Subsetted(cancel)), null, ("If-Match", "W/\"2\""));
        Assert.True(cancelled.StatusCode == HttpStatusCode.OK, await cancelled.Content.ReadAsStringAsync());
        var result = await cancelled.ReadAsync<Appointment>();
        Assert.Equal((Appointment.AppointmentStatus.Cancelled, "3", "pat"), (result.Status, result.Meta!.VersionId, result.CancelationReason!.Coding[0].Code));
    }

    [Fact]
    public async System.Threading.Tasks.Task A_clinician_may_check_in_but_not_cancel_and_delete_is_405()
    {
        var (clinicId, appointmentId, _) = await BookAsync();
        var uri = $"/fhir/clinics/{clinicId}/Appointment/{appointmentId}";
        var clinician = FhirFixture.Token(Roles.Clinician, clinicId);
        var current = await (await fixture.SendAsync(HttpMethod.Get, uri, clinician)).ReadAsync<Appointment>();
        current.Status = Appointment.AppointmentStatus.Cancelled;
        using var forbidden = await fixture.SendAsync(HttpMethod.Put, uri, clinician, FhirJson.Serialize(current), null, ("If-Match", "W/\"1\""));
        await ConformanceTests.ExpectOutcomeAsync(forbidden, HttpStatusCode.Forbidden, OperationOutcome.IssueType.Forbidden);

        using var delete = await fixture.SendAsync(HttpMethod.Delete, uri, FhirFixture.AdminToken);
        await ConformanceTests.ExpectOutcomeAsync(delete, HttpStatusCode.MethodNotAllowed, OperationOutcome.IssueType.NotSupported);
        using var vread = await fixture.SendAsync(HttpMethod.Get, uri + "/_history/1", FhirFixture.AdminToken);
        Assert.Equal(HttpStatusCode.OK, vread.StatusCode);
        using var old = await fixture.SendAsync(HttpMethod.Get, uri + "/_history/7", FhirFixture.AdminToken);
        await ConformanceTests.ExpectOutcomeAsync(old, HttpStatusCode.NotFound, OperationOutcome.IssueType.NotFound);
    }

    [Theory]
    [InlineData("{\"resourceType\":\"Patient\"}")]
    [InlineData("<Appointment xmlns=\"http://hl7.org/fhir\"/>")]
    [InlineData("{\"resourceType\":\"Appointment\",\"id\":\"SecretValue\u0001\",\"status\":\"booked\"}")]
    [InlineData("{\"resourceType\":\"Appointment\",\"status\":\"SecretValue\"}")]
    public async System.Threading.Tasks.Task A_body_that_is_not_this_Appointment_is_400_without_echo(string body)
    {
        var (clinicId, appointmentId, _) = await BookAsync();
        using var response = await fixture.SendAsync(HttpMethod.Put, $"/fhir/clinics/{clinicId}/Appointment/{appointmentId}",
            FhirFixture.AdminToken, body, null, ("If-Match", "W/\"1\""));
        var outcome = await ConformanceTests.ExpectOutcomeAsync(response, HttpStatusCode.BadRequest, OperationOutcome.IssueType.Invalid);
        Assert.DoesNotContain("SecretValue", outcome.Issue[0].Diagnostics, StringComparison.Ordinal);
    }

    // What a front desk reads: no reason text, tagged SUBSETTED.
    private static Appointment Subsetted(Appointment appointment)
    {
        appointment.ReasonCode = [];
        return appointment;
    }

    private async Task<(string ClinicId, string AppointmentId, DateTimeOffset Start)> BookAsync()
    {
        var (clinicId, providerId) = await fixture.VisitClinicAsync();
        var patientId = await fixture.PatientAsync(clinicId, NativeSetup.NewMrn());
        var start = VisitClinic.NextOpenStart(TimeSpan.FromHours(1));
        var booked = await fixture.PostAsync($"/api/clinics/{clinicId}/appointments", new
        {
            patientId,
            providerId,
            appointmentType = "checkup",
            start = start.ToString("yyyy-MM-dd'T'HH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture),
            reason = "Annual checkup",
        });
        return (clinicId, booked.GetProperty("id").GetString()!, start);
    }
}
