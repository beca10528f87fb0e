using System.Net;
using System.Text.Json;
using ClinicCluster.Api.Auth;
using ClinicCluster.Audit;

namespace ClinicCluster.Api.Tests;

/// <summary>
/// Every PHI operation, driven to success, to a refusal and to "not found", leaves exactly one
/// audit event with the right action, outcome, status and patient. Audit reads are audited too.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class AuditCoverageTests(ApiFixture fixture)
{
    public enum Case
    {
        Success,
        Denied,
        NotFound,
        NoToken,
    }

    public static TheoryData<string, Case> Operations()
    {
        var data = new TheoryData<string, Case>();
        foreach (var operation in new[]
                 {
                     "RegisterPatient", "GetPatient", "UpdatePatient", "SearchPatients", "ListPatientAppointments",
                     "BookAppointment", "GetAppointment", "RescheduleAppointment", "CancelAppointment", "CheckInAppointment",
                     "CompleteAppointment", "MarkNoShow", "ListProviderAppointments", "ListAuditEvents", "ExportDisclosures",
                 })
        {
            foreach (var @case in Enum.GetValues<Case>())
            {
                data.Add(operation, @case);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task Each_phi_operation_emits_exactly_one_audit_event(string operation, Case @case)
    {
        var clinic = await fixture.CreateClinicOpenNowAsync();
        var patientId = await fixture.RegisterPatientAsync(clinic.Id);
        // Inside its check-in window (which opens two hours ahead), not started: a no-show is refused.
        var start = DateTimeOffset.UtcNow.AddMinutes(90);
        var appointmentId = (await fixture.BookAsync(clinic, patientId, start)).Str("id");
        if (operation == "CompleteAppointment")
        {
            // Only a visit that has started can be completed.
            appointmentId = await fixture.BookStartedAsync(clinic, patientId);
            await fixture.PostActionAsync(clinic, appointmentId, "check-in", HttpStatusCode.OK);
        }

        var request = Build(operation, clinic, patientId, appointmentId, start, notFound: @case == Case.NotFound);
        var readsAudit = operation is "ListAuditEvents" or "ExportDisclosures";
        var token = @case switch
        {
            Case.NoToken => null,
            Case.Denied => ApiFixture.Token(readsAudit ? Roles.FrontDesk : Roles.Auditor, clinic.Id),
            _ => ApiFixture.Token(readsAudit ? Roles.Auditor : Roles.Admin, "*"),
        };
        var auditedClinic = request.Path.Split('/')[3];
        var marker = "audit-coverage-" + Guid.NewGuid().ToString("N");

        using var response = await fixture.Api.SendAsync(request.Method, request.Path, token,
            request.Body is null ? null : ApiClient.JsonBody(request.Body),
            configure: m => m.Headers.TryAddWithoutValidation("User-Agent", marker));

        var expectedStatus = @case switch
        {
            Case.Success => request.SuccessStatus,
            Case.Denied => HttpStatusCode.Forbidden,
            Case.NotFound => HttpStatusCode.NotFound,
            _ => HttpStatusCode.Unauthorized,
        };
        Assert.Equal(expectedStatus, response.StatusCode);

        var events = await fixture.EventsMarkedAsync(auditedClinic, marker);
        var single = Assert.Single(events);
        Assert.Equal(operation, single.Operation);
        Assert.Equal((int)expectedStatus, single.HttpStatus);
        Assert.Equal(auditedClinic, single.ClinicId);
        Assert.Equal(
            @case switch
            {
                Case.Success => (int)expectedStatus < 400 ? AuditOutcome.Success : AuditOutcome.Error,
                Case.NotFound => AuditOutcome.Error,
                _ => AuditOutcome.Denied,
            },
            single.Outcome);
        Assert.Equal(@case == Case.NoToken ? AuditAction.LoginFailure : request.Action, single.Action);
        if (@case == Case.NoToken)
        {
            Assert.Null(single.Actor.Subject);
        }
        else
        {
            Assert.StartsWith("test-", single.Actor.Subject, StringComparison.Ordinal);
        }

        // The patient is named whenever the route names it; otherwise it comes from the answer,
        // so it is known only when the operation succeeded.
        var routeNamesPatient = request.Path.Contains($"/patients/{patientId}", StringComparison.Ordinal);
        if (routeNamesPatient || (request.PatientKnown && @case == Case.Success && (int)expectedStatus < 400))
        {
            Assert.Equal(patientId, single.PatientId);
        }
    }

    [Fact]
    public async Task Audit_records_carry_no_names_birth_dates_or_reasons()
    {
        var clinic = await fixture.CreateClinicOpenNowAsync();
        using (var created = await fixture.Api.PostAsync($"{clinic.Path}/patients", ApiFixture.AdminToken, new
        {
            mrn = TestData.NewMrn(),
            givenName = "Zebulon",
            familyName = "Quixotically",
            birthDate = "1931-07-19",
            sex = "male",
            email = "zebulon.private@example.org",
        }))
        {
            var patientId = (await created.ExpectAsync(HttpStatusCode.Created)).Str("id");
            using var read = await fixture.Api.GetAsync($"{clinic.Path}/patients/{patientId}", ApiFixture.AdminToken);
            using var search = await fixture.Api.GetAsync($"{clinic.Path}/patients?name=Quixo", ApiFixture.AdminToken);
            using var booked = await fixture.Api.PostAsync($"{clinic.Path}/appointments", ApiFixture.AdminToken,
                TestData.BookingBody(patientId, clinic.ProviderId, DateTimeOffset.UtcNow.AddHours(3), "Persistent zygomatic twinge"));
            await booked.ExpectAsync(HttpStatusCode.Created);
        }

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        IReadOnlyList<AuditRecord> records = [];
        while (DateTime.UtcNow < deadline && records.Count < 4)
        {
            records = await fixture.AllAsync(clinic.Id);
            await Task.Delay(100);
        }

        Assert.True(records.Count >= 4, $"expected the four PHI requests to be audited, found {records.Count}");
        var dump = JsonSerializer.Serialize(records);
        foreach (var phi in new[] { "Zebulon", "Quixo", "1931-07-19", "1931", "zebulon.private", "zygomatic" })
        {
            Assert.DoesNotContain(phi, dump, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task Accounting_of_disclosures_is_fhir_ndjson_for_the_patient_and_is_itself_audited()
    {
        var clinic = await fixture.CreateClinicOpenNowAsync();
        var patientId = await fixture.RegisterPatientAsync(clinic.Id);
        using (await fixture.Api.GetAsync($"{clinic.Path}/patients/{patientId}", ApiFixture.AdminToken))
        {
        }

        var auditor = ApiFixture.Token(Roles.Auditor, clinic.Id);
        var path = $"{clinic.Path}/audit/patients/{patientId}/disclosures";
        string[] lines = [];
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (DateTime.UtcNow < deadline && lines.Length < 2)
        {
            using var export = await fixture.Api.GetAsync(path, auditor);
            Assert.Equal(HttpStatusCode.OK, export.StatusCode);
            Assert.Equal("application/fhir+ndjson", export.Content.Headers.ContentType?.MediaType);
            lines = (await export.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            await Task.Delay(100);
        }

        // The registration and the read, at least (earlier exports of this test may follow).
        Assert.True(lines.Length >= 2);
        foreach (var line in lines)
        {
            using var json = JsonDocument.Parse(line);
            Assert.Equal("AuditEvent", json.RootElement.GetProperty("resourceType").GetString());
            Assert.Contains(json.RootElement.GetProperty("entity").EnumerateArray(),
                e => e.GetProperty("what").GetProperty("reference").GetString() == $"Patient/{patientId}");
        }

        var exports = (await fixture.AllAsync(clinic.Id)).Where(r => r.Event.Operation == "ExportDisclosures").ToList();
        Assert.NotEmpty(exports);
        Assert.All(exports, r => Assert.Equal(AuditAction.Export, r.Event.Action));
    }

    [Fact]
    public async Task Audit_chain_links_each_record_to_the_one_before()
    {
        var clinic = await fixture.CreateClinicOpenNowAsync();
        for (var i = 0; i < 5; i++)
        {
            await fixture.RegisterPatientAsync(clinic.Id);
        }

        IReadOnlyList<AuditRecord> records = [];
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (DateTime.UtcNow < deadline && records.Count < 5)
        {
            records = await fixture.AllAsync(clinic.Id);
            await Task.Delay(100);
        }

        var keys = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<AuditChainKeys>(fixture.SiloServices);
        var previous = AuditChain.Genesis;
        for (var i = 0; i < records.Count; i++)
        {
            Assert.Equal(i + 1, records[i].Sequence);
            Assert.Equal(previous, records[i].PreviousHash);
            Assert.Equal(keys.Active.Id, records[i].ChainKeyId);
            Assert.Equal(AuditChain.Hash(previous, records[i].Event, keys.Active), records[i].Hash);
            Assert.NotEqual(AuditChain.UnkeyedHash(previous, records[i].Event), records[i].Hash);
            previous = records[i].Hash;
        }
    }

    private sealed record PhiRequest(HttpMethod Method, string Path, object? Body, HttpStatusCode SuccessStatus, AuditAction Action, bool PatientKnown);

    private static PhiRequest Build(string operation, TestClinic clinic, string patientId, string appointmentId, DateTimeOffset start, bool notFound)
    {
        var patient = notFound ? "pat-missing" : patientId;
        var appointment = notFound ? "apt-missing" : appointmentId;
        var provider = notFound ? "prv-missing" : clinic.ProviderId;
        var c = clinic.Path;
        return operation switch
        {
            // "Not found" for a registration: an unknown clinic.
            "RegisterPatient" => new(HttpMethod.Post, notFound ? "/api/clinics/c-missing0/patients" : $"{c}/patients",
                TestData.PatientBody(), HttpStatusCode.Created, AuditAction.Create, PatientKnown: false),
            "GetPatient" => new(HttpMethod.Get, $"{c}/patients/{patient}", null, HttpStatusCode.OK, AuditAction.Read, true),
            "UpdatePatient" => new(HttpMethod.Put, $"{c}/patients/{patient}", TestData.PatientBody(), HttpStatusCode.OK, AuditAction.Update, true),
            "SearchPatients" => new(HttpMethod.Get, notFound ? "/api/clinics/c-missing0/patients?name=Al" : $"{c}/patients?name=Al",
                null, HttpStatusCode.OK, AuditAction.Search, false),
            "ListPatientAppointments" => new(HttpMethod.Get, $"{c}/patients/{patient}/appointments", null, HttpStatusCode.OK, AuditAction.Search, true),
            "BookAppointment" => new(HttpMethod.Post, $"{c}/appointments",
                TestData.BookingBody(patient, clinic.ProviderId, start.AddHours(2)), HttpStatusCode.Created, AuditAction.Create, true),
            "GetAppointment" => new(HttpMethod.Get, $"{c}/appointments/{appointment}", null, HttpStatusCode.OK, AuditAction.Read, true),
            "RescheduleAppointment" => new(HttpMethod.Post, $"{c}/appointments/{appointment}/reschedule",
                new { start = TestData.Iso(start.AddHours(1)) }, HttpStatusCode.OK, AuditAction.Update, true),
            "CancelAppointment" => new(HttpMethod.Post, $"{c}/appointments/{appointment}/cancel", new { reason = "test", reasonCode = "patient-request" },
                HttpStatusCode.OK, AuditAction.Update, true),
            "CheckInAppointment" => new(HttpMethod.Post, $"{c}/appointments/{appointment}/check-in", null, HttpStatusCode.OK, AuditAction.Update, true),
            "CompleteAppointment" => new(HttpMethod.Post, $"{c}/appointments/{appointment}/complete", null, HttpStatusCode.OK, AuditAction.Update, true),
            // A booked visit that has not started yet cannot be a no-show: unknown id for "not found",
            // otherwise a refusal (409) that is still audited; success is covered by the no-show API test.
            "MarkNoShow" => new(HttpMethod.Post, $"{c}/appointments/{appointment}/no-show", null, HttpStatusCode.Conflict, AuditAction.Update, true),
            "ListProviderAppointments" => new(HttpMethod.Get,
                $"{c}/providers/{provider}/appointments?date={TestData.NewYorkDate(start)}", null, HttpStatusCode.OK, AuditAction.Search, false),
            "ListAuditEvents" => new(HttpMethod.Get, notFound ? "/api/clinics/c-missing0/audit/events" : $"{c}/audit/events?patientId={patientId}",
                null, HttpStatusCode.OK, AuditAction.Search, false),
            "ExportDisclosures" => new(HttpMethod.Get,
                notFound ? $"/api/clinics/c-missing0/audit/patients/{patientId}/disclosures" : $"{c}/audit/patients/{patientId}/disclosures",
                null, HttpStatusCode.OK, AuditAction.Export, true),
            _ => throw new ArgumentOutOfRangeException(nameof(operation)),
        };
    }
}
