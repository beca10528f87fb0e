using System.Globalization;
using System.Net;
using static ClinicCluster.Api.Tests.TestData;

namespace ClinicCluster.Api.Tests;

[Collection(ApiCollection.Name)]
public sealed class AppointmentEndpointsTests(ApiFixture fixture)
{
    private readonly ApiClient _api = fixture.Api;
    private static string Admin => ApiFixture.AdminToken;

    [Fact]
    public async Task Book_returns_201_with_location_and_the_appointment()
    {
        var clinic = await fixture.CreateClinicAsync();
        var patient = await fixture.RegisterPatientAsync(clinic.Id);
        var start = NewYork(10, 10);

        // The same instant in UTC: the answer shows it with the clinic's offset.
        using var response = await _api.PostAsync($"{clinic.Path}/appointments", Admin,
            new { patientId = patient, providerId = clinic.ProviderId, appointmentType = Checkup, start = start.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture), reason = "Annual checkup" });

        var appointment = await response.ExpectAsync(HttpStatusCode.Created);
        var id = appointment.Str("id");
        Assert.StartsWith("apt-", id, StringComparison.Ordinal);
        Assert.Equal($"{clinic.Path}/appointments/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal(clinic.Id, appointment.Str("clinicId"));
        Assert.Equal(patient, appointment.Str("patientId"));
        Assert.Equal(clinic.ProviderId, appointment.Str("providerId"));
        Assert.Equal(Checkup, appointment.Str("appointmentType"));
        Assert.Equal("booked", appointment.Str("status"));
        Assert.Equal("Annual checkup", appointment.Str("reason"));
        Assert.Equal(start, appointment.Instant("start"));
        Assert.Equal(start.Offset, appointment.Instant("start").Offset);
        Assert.Equal(start.AddMinutes(30), appointment.Instant("end"));
    }

    [Fact]
    public async Task Get_appointment_returns_it()
    {
        var clinic = await fixture.CreateClinicAsync();
        var id = await fixture.BookNewPatientAsync(clinic, NewYork(10, 10));

        using var response = await _api.GetAsync($"{clinic.Path}/appointments/{id}", Admin);
        var appointment = await response.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(id, appointment.Str("id"));
        Assert.Equal("booked", appointment.Str("status"));
    }

    [Fact]
    public async Task Get_unknown_appointment_is_404()
    {
        var clinic = await fixture.CreateClinicAsync();
        using var response = await _api.GetAsync($"{clinic.Path}/appointments/apt-missing", Admin);
        await response.ExpectProblemAsync(HttpStatusCode.NotFound, "not-found");
    }

    [Fact]
    public async Task Appointment_of_another_clinic_is_404()
    {
        var home = await fixture.CreateClinicAsync();
        var other = await fixture.CreateClinicAsync();
        var id = await fixture.BookNewPatientAsync(home, NewYork(10, 10));

        using var response = await _api.GetAsync($"{other.Path}/appointments/{id}", Admin);
        await response.ExpectProblemAsync(HttpStatusCode.NotFound, "not-found");
    }

    [Theory]
    [InlineData("UPPER")]
    [InlineData("apt_1")]
    public async Task Appointment_id_with_illegal_characters_is_404(string id)
    {
        var clinic = await fixture.CreateClinicAsync();
        using var get = await _api.GetAsync($"{clinic.Path}/appointments/{id}", Admin);
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        foreach (var action in new[] { "cancel", "check-in", "complete", "no-show" })
        {
            using var post = await _api.SendAsync(HttpMethod.Post, $"{clinic.Path}/appointments/{id}/{action}", Admin);
            Assert.Equal(HttpStatusCode.NotFound, post.StatusCode);
        }

        using var reschedule = await _api.PostAsync($"{clinic.Path}/appointments/{id}/reschedule", Admin, new { start = Iso(NewYork(10, 11)) });
        Assert.Equal(HttpStatusCode.NotFound, reschedule.StatusCode);
    }

    [Fact]
    public async Task Book_in_unknown_clinic_is_404()
    {
        using var response = await _api.PostAsync($"/api/clinics/{NewClinicId()}/appointments", Admin, BookingBody("pat-1", "prv-1", NewYork(10, 10)));
        await response.ExpectProblemAsync(HttpStatusCode.NotFound, "not-found");
    }

    [Fact]
    public async Task Book_for_unknown_patient_is_404()
    {
        var clinic = await fixture.CreateClinicAsync();
        using var response = await _api.PostAsync($"{clinic.Path}/appointments", Admin, BookingBody("pat-missing", clinic.ProviderId, NewYork(10, 10)));
        var problem = await response.ExpectProblemAsync(HttpStatusCode.NotFound, "not-found");
        Assert.Contains("Patient", problem.Str("detail"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Book_with_unknown_provider_is_404()
    {
        var clinic = await fixture.CreateClinicAsync();
        var patient = await fixture.RegisterPatientAsync(clinic.Id);
        using var response = await _api.PostAsync($"{clinic.Path}/appointments", Admin, BookingBody(patient, "prv-missing", NewYork(10, 10)));
        var problem = await response.ExpectProblemAsync(HttpStatusCode.NotFound, "not-found");
        Assert.Contains("Provider", problem.Str("detail"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Book_with_malformed_json_is_400()
    {
        var clinic = await fixture.CreateClinicAsync();
        using var response = await _api.SendRawAsync(HttpMethod.Post, $"{clinic.Path}/appointments", Admin, "{\"patientId\": \"pat-1\", ");
        await response.ExpectProblemAsync(HttpStatusCode.BadRequest, "validation");
    }

    [Theory]
    [InlineData("patientId")]
    [InlineData("providerId")]
    [InlineData("appointmentType")]
    [InlineData("start")]
    public async Task Book_missing_a_required_field_is_400_naming_it(string field)
    {
        var clinic = await fixture.CreateClinicAsync();
        var fields = new Dictionary<string, object>
        {
            ["patientId"] = "pat-1",
            ["providerId"] = clinic.ProviderId,
            ["appointmentType"] = Checkup,
            ["start"] = Iso(NewYork(10, 10)),
        };
        fields.Remove(field);
        using var response = await _api.PostAsync($"{clinic.Path}/appointments", Admin, fields);
        await response.ExpectValidationAsync(field);
    }

    [Theory]
    [InlineData("patientId", "123")]
    [InlineData("start", "1234567890")]
    [InlineData("start", "\"next tuesday\"")]
    [InlineData("reason", "[\"a\"]")]
    public async Task Book_with_a_wrongly_typed_field_is_400_naming_it(string field, string value)
    {
        var clinic = await fixture.CreateClinicAsync();
        var fields = new Dictionary<string, string>
        {
            ["patientId"] = "\"pat-1\"",
            ["providerId"] = $"\"{clinic.ProviderId}\"",
            ["appointmentType"] = "\"checkup\"",
            ["start"] = $"\"{Iso(NewYork(10, 10))}\"",
        };
        fields[field] = value;
        var json = "{" + string.Join(",", fields.Select(f => $"\"{f.Key}\":{f.Value}")) + "}";
        using var response = await _api.SendRawAsync(HttpMethod.Post, $"{clinic.Path}/appointments", Admin, json);
        await response.ExpectValidationAsync(field);
    }

    [Theory]
    [InlineData("yyyy-MM-dd'T'HH:mm:ss")]
    [InlineData("yyyy-MM-dd'T'HH:mm")]
    [InlineData("yyyy-MM-dd")]
    public async Task Book_with_a_start_without_offset_is_400_naming_start(string format)
    {
        var clinic = await fixture.CreateClinicAsync();
        var patient = await fixture.RegisterPatientAsync(clinic.Id);
        var start = NewYork(10, 10).ToString(format, System.Globalization.CultureInfo.InvariantCulture);
        using var response = await _api.PostAsync($"{clinic.Path}/appointments", Admin,
            new { patientId = patient, providerId = clinic.ProviderId, appointmentType = Checkup, start });
        await response.ExpectValidationAsync("start");
    }

    [Fact]
    public async Task Book_with_invalid_ids_or_unknown_type_is_400()
    {
        var clinic = await fixture.CreateClinicAsync();
        var patient = await fixture.RegisterPatientAsync(clinic.Id);

        using var badIds = await _api.PostAsync($"{clinic.Path}/appointments", Admin, BookingBody("PAT 1", "PRV/1", NewYork(10, 10)));
        var problem = await badIds.ExpectValidationAsync("patientId");
        Assert.True(problem.GetProperty("errors").TryGetProperty("providerId", out _));

        using var unknownType = await _api.PostAsync($"{clinic.Path}/appointments", Admin,
            new { patientId = patient, providerId = clinic.ProviderId, appointmentType = "surgery", start = Iso(NewYork(10, 10)) });
        await unknownType.ExpectValidationAsync("appointmentType");

        using var longReason = await _api.PostAsync($"{clinic.Path}/appointments", Admin,
            BookingBody(patient, clinic.ProviderId, NewYork(10, 10), new string('r', 501)));
        await longReason.ExpectValidationAsync("reason");
    }

    [Fact]
    public async Task Book_too_soon_or_too_far_ahead_is_400_naming_start()
    {
        var clinic = await fixture.CreateClinicAsync();
        var patient = await fixture.RegisterPatientAsync(clinic.Id);

        using var soon = await _api.PostAsync($"{clinic.Path}/appointments", Admin, BookingBody(patient, clinic.ProviderId, DateTimeOffset.UtcNow.AddMinutes(30)));
        await soon.ExpectValidationAsync("start");
        using var past = await _api.PostAsync($"{clinic.Path}/appointments", Admin, BookingBody(patient, clinic.ProviderId, NewYork(-3, 10)));
        await past.ExpectValidationAsync("start");
        using var far = await _api.PostAsync($"{clinic.Path}/appointments", Admin, BookingBody(patient, clinic.ProviderId, NewYork(120, 10)));
        await far.ExpectValidationAsync("start");
    }

    [Fact]
    public async Task Book_overlapping_the_same_provider_is_409_provider_busy()
    {
        var clinic = await fixture.CreateClinicAsync();
        await fixture.BookNewPatientAsync(clinic, NewYork(10, 10));
        var other = await fixture.RegisterPatientAsync(clinic.Id);

        using var same = await _api.PostAsync($"{clinic.Path}/appointments", Admin, BookingBody(other, clinic.ProviderId, NewYork(10, 10)));
        await same.ExpectProblemAsync(HttpStatusCode.Conflict, "provider-busy");

        // 10:35 is inside the 10-minute buffer after the 10:00-10:30 visit.
        using var inBuffer = await _api.PostAsync($"{clinic.Path}/appointments", Admin, BookingBody(other, clinic.ProviderId, NewYork(10, 10, 35)));
        await inBuffer.ExpectProblemAsync(HttpStatusCode.Conflict, "provider-busy");

        // 09:30-10:00 is free itself, but its buffer (to 10:10) runs into the visit.
        using var bufferInto = await _api.PostAsync($"{clinic.Path}/appointments", Admin, BookingBody(other, clinic.ProviderId, NewYork(10, 9, 30)));
        await bufferInto.ExpectProblemAsync(HttpStatusCode.Conflict, "provider-busy");

        // 09:45-10:15 would run into the visit.
        using var before = await _api.PostAsync($"{clinic.Path}/appointments", Admin, BookingBody(other, clinic.ProviderId, NewYork(10, 9, 45)));
        await before.ExpectProblemAsync(HttpStatusCode.Conflict, "provider-busy");

        // 10:40 starts right when the buffer ends.
        using var after = await _api.PostAsync($"{clinic.Path}/appointments", Admin, BookingBody(other, clinic.ProviderId, NewYork(10, 10, 40)));
        await after.ExpectAsync(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Book_the_same_patient_twice_at_once_is_409_patient_busy()
    {
        var clinic = await fixture.CreateClinicAsync();
        var second = await fixture.AddProviderAsync(clinic.Id, name: "Dr. Second");
        var patient = await fixture.RegisterPatientAsync(clinic.Id);
        await fixture.BookAsync(clinic, patient, NewYork(10, 10));

        using var response = await _api.PostAsync($"{clinic.Path}/appointments", Admin, BookingBody(patient, second, NewYork(10, 10, 15)));
        await response.ExpectProblemAsync(HttpStatusCode.Conflict, "patient-busy");

        // The refused booking released the second provider's slot.
        var another = await fixture.RegisterPatientAsync(clinic.Id);
        await fixture.BookAsync(clinic, another, NewYork(10, 10, 15), second);
    }

    [Fact]
    public async Task Book_outside_working_hours_is_409_outside_working_hours()
    {
        var clinic = await fixture.CreateClinicAsync();
        var patient = await fixture.RegisterPatientAsync(clinic.Id);

        using var evening = await _api.PostAsync($"{clinic.Path}/appointments", Admin, BookingBody(patient, clinic.ProviderId, NewYork(10, 21)));
        await evening.ExpectProblemAsync(HttpStatusCode.Conflict, "outside-working-hours");

        // 19:45-20:15 runs past the end of the 08:00-20:00 window.
        using var overrun = await _api.PostAsync($"{clinic.Path}/appointments", Admin, BookingBody(patient, clinic.ProviderId, NewYork(10, 19, 45)));
        await overrun.ExpectProblemAsync(HttpStatusCode.Conflict, "outside-working-hours");
    }

    [Fact]
    public async Task Replaying_a_booking_with_the_same_idempotency_key_and_body_returns_the_same_appointment()
    {
        var clinic = await fixture.CreateClinicAsync();
        var patient = await fixture.RegisterPatientAsync(clinic.Id);
        var body = BookingBody(patient, clinic.ProviderId, NewYork(10, 10));
        var key = "key-" + Guid.NewGuid();

        using var first = await _api.PostAsync($"{clinic.Path}/appointments", Admin, body, key);
        var original = await first.ExpectAsync(HttpStatusCode.Created);
        using var replay = await _api.PostAsync($"{clinic.Path}/appointments", Admin, body, key);
        var replayed = await replay.ExpectAsync(HttpStatusCode.Created);

        Assert.Equal(original.Str("id"), replayed.Str("id"));
        Assert.Equal(first.Headers.Location, replay.Headers.Location);
        Assert.Equal(original.Instant("start"), replayed.Instant("start"));

        using var list = await _api.GetAsync($"{clinic.Path}/patients/{patient}/appointments", Admin);
        Assert.Single((await list.ExpectAsync(HttpStatusCode.OK)).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task Reusing_an_idempotency_key_with_another_body_is_422()
    {
        var clinic = await fixture.CreateClinicAsync();
        var patient = await fixture.RegisterPatientAsync(clinic.Id);
        var key = "key-" + Guid.NewGuid();

        using var first = await _api.PostAsync($"{clinic.Path}/appointments", Admin, BookingBody(patient, clinic.ProviderId, NewYork(10, 10)), key);
        await first.ExpectAsync(HttpStatusCode.Created);
        using var other = await _api.PostAsync($"{clinic.Path}/appointments", Admin, BookingBody(patient, clinic.ProviderId, NewYork(10, 11)), key);
        await other.ExpectProblemAsync(HttpStatusCode.UnprocessableEntity, "idempotency-key-reused");
    }

    [Fact]
    public async Task Idempotency_keys_are_scoped_to_the_caller()
    {
        var clinic = await fixture.CreateClinicAsync();
        var patient = await fixture.RegisterPatientAsync(clinic.Id);
        var body = BookingBody(patient, clinic.ProviderId, NewYork(10, 10));
        var alice = Auth.DevTokenIssuer.Issue(ApiFixture.AuthOptions, "alice", ["frontdesk"], [clinic.Id], DateTimeOffset.UtcNow);
        var bob = Auth.DevTokenIssuer.Issue(ApiFixture.AuthOptions, "bob", ["frontdesk"], [clinic.Id], DateTimeOffset.UtcNow);

        using var first = await _api.PostAsync($"{clinic.Path}/appointments", alice, body, "1");
        await first.ExpectAsync(HttpStatusCode.Created);

        // Bob's "1" is another key: his identical request is a new booking of a taken slot.
        using var second = await _api.PostAsync($"{clinic.Path}/appointments", bob, body, "1");
        await second.ExpectProblemAsync(HttpStatusCode.Conflict, "provider-busy");
    }

    [Fact]
    public async Task An_idempotency_key_that_is_too_long_is_400()
    {
        var clinic = await fixture.CreateClinicAsync();
        var patient = await fixture.RegisterPatientAsync(clinic.Id);
        using var response = await _api.PostAsync($"{clinic.Path}/appointments", Admin,
            BookingBody(patient, clinic.ProviderId, NewYork(10, 10)), new string('k', 256));
        await response.ExpectValidationAsync("Idempotency-Key");
    }

    [Fact]
    public async Task Reschedule_moves_the_appointment_and_frees_the_old_slot()
    {
        var clinic = await fixture.CreateClinicAsync();
        var id = await fixture.BookNewPatientAsync(clinic, NewYork(10, 10));

        using var response = await _api.PostAsync($"{clinic.Path}/appointments/{id}/reschedule", Admin, new { start = Iso(NewYork(11, 15)) });
        var moved = await response.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(id, moved.Str("id"));
        Assert.Equal("booked", moved.Str("status"));
        Assert.Equal(NewYork(11, 15), moved.Instant("start"));
        Assert.Equal(NewYork(11, 15, 30), moved.Instant("end"));

        await fixture.BookNewPatientAsync(clinic, NewYork(10, 10));
    }

    [Fact]
    public async Task Reschedule_by_a_few_minutes_overlapping_itself_is_allowed()
    {
        var clinic = await fixture.CreateClinicAsync();
        var id = await fixture.BookNewPatientAsync(clinic, NewYork(10, 10));

        using var response = await _api.PostAsync($"{clinic.Path}/appointments/{id}/reschedule", Admin, new { start = Iso(NewYork(10, 10, 15)) });
        Assert.Equal(NewYork(10, 10, 15), (await response.ExpectAsync(HttpStatusCode.OK)).Instant("start"));
    }

    [Fact]
    public async Task Reschedule_onto_a_taken_slot_is_409_and_keeps_the_appointment()
    {
        var clinic = await fixture.CreateClinicAsync();
        await fixture.BookNewPatientAsync(clinic, NewYork(10, 14));
        var id = await fixture.BookNewPatientAsync(clinic, NewYork(10, 10));

        using var response = await _api.PostAsync($"{clinic.Path}/appointments/{id}/reschedule", Admin, new { start = Iso(NewYork(10, 14)) });
        await response.ExpectProblemAsync(HttpStatusCode.Conflict, "provider-busy");

        using var read = await _api.GetAsync($"{clinic.Path}/appointments/{id}", Admin);
        Assert.Equal(NewYork(10, 10), (await read.ExpectAsync(HttpStatusCode.OK)).Instant("start"));
    }

    [Fact]
    public async Task Reschedule_with_bad_bodies_is_400()
    {
        var clinic = await fixture.CreateClinicAsync();
        var id = await fixture.BookNewPatientAsync(clinic, NewYork(10, 10));
        var path = $"{clinic.Path}/appointments/{id}/reschedule";

        using var noOffset = await _api.PostAsync(path, Admin, new { start = NewYork(11, 10).ToString("yyyy-MM-dd'T'HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture) });
        await noOffset.ExpectValidationAsync("start");
        using var missing = await _api.SendRawAsync(HttpMethod.Post, path, Admin, "{}");
        await missing.ExpectValidationAsync("start");
        using var malformed = await _api.SendRawAsync(HttpMethod.Post, path, Admin, "{\"start\":");
        await malformed.ExpectProblemAsync(HttpStatusCode.BadRequest, "validation");
        using var tooSoon = await _api.PostAsync(path, Admin, new { start = Iso(DateTimeOffset.UtcNow.AddMinutes(5)) });
        await tooSoon.ExpectValidationAsync("start");
    }

    [Fact]
    public async Task Reschedule_unknown_appointment_is_404()
    {
        var clinic = await fixture.CreateClinicAsync();
        using var response = await _api.PostAsync($"{clinic.Path}/appointments/apt-missing/reschedule", Admin, new { start = Iso(NewYork(10, 10)) });
        await response.ExpectProblemAsync(HttpStatusCode.NotFound, "not-found");
    }

    [Fact]
    public async Task Reschedule_a_checked_in_appointment_is_409_invalid_transition()
    {
        // An hour ahead: inside the check-in window, which opens two hours before the start.
        var clinic = await fixture.CreateClinicOpenNowAsync();
        var id = await fixture.BookNewPatientAsync(clinic, DateTimeOffset.UtcNow.AddHours(1));
        await fixture.PostActionAsync(clinic, id, "check-in", HttpStatusCode.OK);

        using var response = await _api.PostAsync($"{clinic.Path}/appointments/{id}/reschedule", Admin, new { start = Iso(DateTimeOffset.UtcNow.AddHours(3)) });
        await response.ExpectProblemAsync(HttpStatusCode.Conflict, "invalid-transition");
    }

    [Fact]
    public async Task Cancel_without_a_body_cancels_and_frees_the_slot()
    {
        var clinic = await fixture.CreateClinicAsync();
        var id = await fixture.BookNewPatientAsync(clinic, NewYork(10, 10));

        var cancelled = await fixture.PostActionAsync(clinic, id, "cancel", HttpStatusCode.OK);
        Assert.Equal("cancelled", cancelled.Str("status"));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, cancelled.GetProperty("cancellationReason").ValueKind);

        await fixture.BookNewPatientAsync(clinic, NewYork(10, 10));
    }

    [Fact]
    public async Task Cancel_with_an_empty_json_body_or_a_reason_is_200()
    {
        var clinic = await fixture.CreateClinicAsync();
        var first = await fixture.BookNewPatientAsync(clinic, NewYork(10, 10));
        var second = await fixture.BookNewPatientAsync(clinic, NewYork(10, 11));

        using var empty = await _api.SendRawAsync(HttpMethod.Post, $"{clinic.Path}/appointments/{first}/cancel", Admin, "{}");
        Assert.Equal("cancelled", (await empty.ExpectAsync(HttpStatusCode.OK)).Str("status"));

        using var reason = await _api.PostAsync($"{clinic.Path}/appointments/{second}/cancel", Admin, new { reason = "Patient is travelling" });
        var json = await reason.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("cancelled", json.Str("status"));
        Assert.Equal("Patient is travelling", json.Str("cancellationReason"));
    }

    [Fact]
    public async Task Cancel_with_a_zero_length_json_body_is_200()
    {
        var clinic = await fixture.CreateClinicAsync();
        var id = await fixture.BookNewPatientAsync(clinic, NewYork(10, 10));

        using var response = await _api.SendRawAsync(HttpMethod.Post, $"{clinic.Path}/appointments/{id}/cancel", Admin, "");
        Assert.Equal("cancelled", (await response.ExpectAsync(HttpStatusCode.OK)).Str("status"));
    }

    [Fact]
    public async Task Cancel_with_bad_bodies_is_400()
    {
        var clinic = await fixture.CreateClinicAsync();
        var id = await fixture.BookNewPatientAsync(clinic, NewYork(10, 10));
        var path = $"{clinic.Path}/appointments/{id}/cancel";

        using var tooLong = await _api.PostAsync(path, Admin, new { reason = new string('r', 501) });
        await tooLong.ExpectValidationAsync("reason");
        using var wrongType = await _api.SendRawAsync(HttpMethod.Post, path, Admin, "{\"reason\": 5}");
        await wrongType.ExpectValidationAsync("reason");
        using var malformed = await _api.SendRawAsync(HttpMethod.Post, path, Admin, "{\"reason\"");
        await malformed.ExpectProblemAsync(HttpStatusCode.BadRequest, "validation");
    }

    [Fact]
    public async Task Cancel_twice_is_idempotent_and_a_cancelled_appointment_cannot_move_or_check_in()
    {
        var clinic = await fixture.CreateClinicAsync();
        var id = await fixture.BookNewPatientAsync(clinic, NewYork(10, 10));
        await fixture.PostActionAsync(clinic, id, "cancel", HttpStatusCode.OK);

        // A repeated cancel (a client retry) answers the cancelled appointment again.
        using var again = await _api.SendAsync(HttpMethod.Post, $"{clinic.Path}/appointments/{id}/cancel", Admin);
        Assert.Equal("cancelled", (await again.ExpectAsync(HttpStatusCode.OK)).Str("status"));

        using var reschedule = await _api.PostAsync($"{clinic.Path}/appointments/{id}/reschedule", Admin, new { start = Iso(NewYork(11, 10)) });
        await reschedule.ExpectProblemAsync(HttpStatusCode.Conflict, "invalid-transition");
        await fixture.PostActionAsync(clinic, id, "check-in", HttpStatusCode.Conflict, "invalid-transition");
        await fixture.PostActionAsync(clinic, id, "complete", HttpStatusCode.Conflict, "invalid-transition");
        await fixture.PostActionAsync(clinic, id, "no-show", HttpStatusCode.Conflict, "invalid-transition");
    }

    [Fact]
    public async Task Cancel_inside_the_cutoff_is_409_cancellation_cutoff()
    {
        var clinic = await fixture.CreateClinicOpenNowAsync(cancellationCutoffMinutes: 1440);
        var id = await fixture.BookNewPatientAsync(clinic, DateTimeOffset.UtcNow.AddHours(1));

        using var response = await _api.SendAsync(HttpMethod.Post, $"{clinic.Path}/appointments/{id}/cancel", Admin);
        await response.ExpectProblemAsync(HttpStatusCode.Conflict, "cancellation-cutoff");
    }

    [Fact]
    public async Task Cancel_unknown_appointment_is_404()
    {
        var clinic = await fixture.CreateClinicAsync();
        using var response = await _api.SendAsync(HttpMethod.Post, $"{clinic.Path}/appointments/apt-missing/cancel", Admin);
        await response.ExpectProblemAsync(HttpStatusCode.NotFound, "not-found");
    }

    [Fact]
    public async Task Check_in_then_complete_fulfils_a_visit_that_has_started()
    {
        var clinic = await fixture.CreateClinicOpenNowAsync();
        var id = await fixture.BookStartedAsync(clinic);

        var checkedIn = await fixture.PostActionAsync(clinic, id, "check-in", HttpStatusCode.OK);
        Assert.Equal("checked-in", checkedIn.Str("status"));
        var completed = await fixture.PostActionAsync(clinic, id, "complete", HttpStatusCode.OK);
        Assert.Equal("fulfilled", completed.Str("status"));

        using var read = await _api.GetAsync($"{clinic.Path}/appointments/{id}", Admin);
        Assert.Equal("fulfilled", (await read.ExpectAsync(HttpStatusCode.OK)).Str("status"));
    }

    [Fact]
    public async Task Illegal_status_changes_are_409_invalid_transition_and_repeats_are_no_ops()
    {
        var clinic = await fixture.CreateClinicOpenNowAsync();
        var id = await fixture.BookStartedAsync(clinic);

        await fixture.PostActionAsync(clinic, id, "complete", HttpStatusCode.Conflict, "invalid-transition");
        await fixture.PostActionAsync(clinic, id, "check-in", HttpStatusCode.OK);
        Assert.Equal("checked-in", (await fixture.PostActionAsync(clinic, id, "check-in", HttpStatusCode.OK)).Str("status"));
        await fixture.PostActionAsync(clinic, id, "no-show", HttpStatusCode.Conflict, "invalid-transition");
        await fixture.PostActionAsync(clinic, id, "complete", HttpStatusCode.OK);
        Assert.Equal("fulfilled", (await fixture.PostActionAsync(clinic, id, "complete", HttpStatusCode.OK)).Str("status"));
        await fixture.PostActionAsync(clinic, id, "cancel", HttpStatusCode.Conflict, "invalid-transition");
        await fixture.PostActionAsync(clinic, id, "check-in", HttpStatusCode.Conflict, "invalid-transition");
        using var reschedule = await _api.PostAsync($"{clinic.Path}/appointments/{id}/reschedule", Admin, new { start = Iso(DateTimeOffset.UtcNow.AddHours(3)) });
        await reschedule.ExpectProblemAsync(HttpStatusCode.Conflict, "invalid-transition");
    }

    [Fact]
    public async Task A_checked_in_visit_can_be_cancelled_inside_the_cutoff_with_a_reason_code_only()
    {
        var clinic = await fixture.CreateClinicOpenNowAsync(cancellationCutoffMinutes: 1440);
        var id = await fixture.BookNewPatientAsync(clinic, DateTimeOffset.UtcNow.AddHours(1));
        await fixture.PostActionAsync(clinic, id, "check-in", HttpStatusCode.OK);
        var path = $"{clinic.Path}/appointments/{id}/cancel";

        using var uncoded = await _api.PostAsync(path, Admin, new { reason = "Left before the visit" });
        await uncoded.ExpectValidationAsync("reasonCode");
        using var unknown = await _api.PostAsync(path, Admin, new { reasonCode = "bored" });
        await unknown.ExpectValidationAsync("reasonCode");
        using var coded = await _api.PostAsync(path, Admin, new { reason = "Left before the visit", reasonCode = "patient-left" });

        var cancelled = await coded.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("cancelled", cancelled.Str("status"));
        Assert.Equal("patient-left", cancelled.Str("cancellationCode"));
        using var read = await _api.GetAsync($"{clinic.Path}/appointments/{id}", ApiFixture.Token(ClinicCluster.Api.Auth.Roles.FrontDesk, clinic.Id));
        Assert.Equal("patient-left", (await read.ExpectAsync(HttpStatusCode.OK)).Str("cancellationCode"));
    }

    [Fact]
    public async Task Check_in_days_ahead_is_409_check_in_not_open_saying_when_in_the_clinic_zone()
    {
        var clinic = await fixture.CreateClinicAsync();
        var start = NewYork(10, 10);
        var id = await fixture.BookNewPatientAsync(clinic, start);

        var problem = await fixture.PostActionAsync(clinic, id, "check-in", HttpStatusCode.Conflict, "check-in-not-open");

        var opens = start.AddHours(-2).ToString("yyyy-MM-dd HH:mm zzz", CultureInfo.InvariantCulture) + " America/New_York";
        Assert.Contains(opens, problem.Str("detail"), StringComparison.Ordinal);
        Assert.Equal("https://clinic-cluster.dev/problems/check-in-not-open", problem.Str("type"));
        using var read = await _api.GetAsync($"{clinic.Path}/appointments/{id}", Admin);
        Assert.Equal("booked", (await read.ExpectAsync(HttpStatusCode.OK)).Str("status"));
    }

    [Fact]
    public async Task Check_in_after_it_closed_is_409_check_in_closed()
    {
        var clinic = await fixture.CreateClinicOpenNowAsync();
        var patientId = await fixture.RegisterPatientAsync(clinic.Id);
        // A visit that ended an hour ago cannot be booked: its ledger row is written in the silo.
        var start = DateTimeOffset.UtcNow.AddMinutes(-90);
        var id = await fixture.SeedVisitAsync(clinic, patientId, start, "booked");

        var problem = await fixture.PostActionAsync(clinic, id, "check-in", HttpStatusCode.Conflict, "check-in-closed");

        Assert.Contains("closed 30 minutes after the end", problem.Str("detail"), StringComparison.Ordinal);
        Assert.Equal("https://clinic-cluster.dev/problems/check-in-closed", problem.Str("type"));
        Assert.Equal("noshow", (await fixture.PostActionAsync(clinic, id, "no-show", HttpStatusCode.OK)).Str("status"));
    }

    [Fact]
    public async Task Completing_a_checked_in_visit_before_its_start_is_409_not_started()
    {
        var clinic = await fixture.CreateClinicOpenNowAsync();
        var id = await fixture.BookNewPatientAsync(clinic, DateTimeOffset.UtcNow.AddHours(1));
        await fixture.PostActionAsync(clinic, id, "check-in", HttpStatusCode.OK);

        var problem = await fixture.PostActionAsync(clinic, id, "complete", HttpStatusCode.Conflict, "not-started");

        Assert.Contains("completed once it has started", problem.Str("detail"), StringComparison.Ordinal);
        using var read = await _api.GetAsync($"{clinic.Path}/appointments/{id}", Admin);
        Assert.Equal("checked-in", (await read.ExpectAsync(HttpStatusCode.OK)).Str("status"));
    }

    [Fact]
    public async Task No_show_before_the_start_or_inside_the_grace_is_409_not_started()
    {
        var clinic = await fixture.CreateClinicAsync();
        var id = await fixture.BookNewPatientAsync(clinic, NewYork(10, 10));
        var open = await fixture.CreateClinicOpenNowAsync();
        var started = await fixture.BookStartedAsync(open);

        using var response = await _api.SendAsync(HttpMethod.Post, $"{clinic.Path}/appointments/{id}/no-show", Admin);
        await response.ExpectProblemAsync(HttpStatusCode.Conflict, "not-started");
        var inGrace = await fixture.PostActionAsync(open, started, "no-show", HttpStatusCode.Conflict, "not-started");
        Assert.Contains("15 minutes after its start", inGrace.Str("detail"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_show_after_the_start_marks_the_appointment_in_a_clinic_without_a_no_show_grace()
    {
        var clinic = await fixture.CreateClinicOpenNowAsync(noShowGraceMinutes: 0);
        var now = DateTimeOffset.UtcNow;
        var start = new DateTimeOffset(now.Ticks - now.Ticks % TimeSpan.TicksPerSecond, TimeSpan.Zero).AddSeconds(3);
        var id = await fixture.BookNewPatientAsync(clinic, start);

        var wait = start - DateTimeOffset.UtcNow + TimeSpan.FromMilliseconds(300);
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait);
        }

        var marked = await fixture.PostActionAsync(clinic, id, "no-show", HttpStatusCode.OK);
        Assert.Equal("noshow", marked.Str("status"));
        await fixture.PostActionAsync(clinic, id, "check-in", HttpStatusCode.Conflict, "invalid-transition");
    }

    [Theory]
    [InlineData("check-in")]
    [InlineData("complete")]
    [InlineData("no-show")]
    public async Task Status_change_of_unknown_appointment_is_404(string action)
    {
        var clinic = await fixture.CreateClinicAsync();
        using var response = await _api.SendAsync(HttpMethod.Post, $"{clinic.Path}/appointments/apt-missing/{action}", Admin);
        await response.ExpectProblemAsync(HttpStatusCode.NotFound, "not-found");
    }

    [Theory]
    [InlineData("check-in")]
    [InlineData("cancel")]
    [InlineData("reschedule")]
    public async Task Actions_in_unknown_clinic_are_404(string action)
    {
        using var response = await _api.PostAsync($"/api/clinics/{NewClinicId()}/appointments/apt-1/{action}", Admin, new { start = Iso(NewYork(10, 10)) });
        await response.ExpectProblemAsync(HttpStatusCode.NotFound, "not-found");
    }

    [Fact]
    public async Task Provider_day_lists_the_appointments_of_that_local_date_in_order()
    {
        var clinic = await fixture.CreateClinicAsync();
        var late = await fixture.BookNewPatientAsync(clinic, NewYork(10, 19));
        var early = await fixture.BookNewPatientAsync(clinic, NewYork(10, 8));
        await fixture.BookNewPatientAsync(clinic, NewYork(11, 8));

        using var response = await _api.GetAsync($"{clinic.Path}/providers/{clinic.ProviderId}/appointments?date={NewYorkDate(NewYork(10, 8))}", Admin);
        var items = (await response.ExpectAsync(HttpStatusCode.OK)).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal([early, late], items.Select(i => i.Str("id")));
        Assert.Equal("booked", items[0].Str("status"));
        Assert.False(items[0].TryGetProperty("reason", out _), "Lists carry no reason text.");

        using var emptyDay = await _api.GetAsync($"{clinic.Path}/providers/{clinic.ProviderId}/appointments?date={NewYorkDate(NewYork(12, 8))}", Admin);
        Assert.Empty((await emptyDay.ExpectAsync(HttpStatusCode.OK)).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task Provider_day_shows_status_changes()
    {
        var clinic = await fixture.CreateClinicAsync();
        var id = await fixture.BookNewPatientAsync(clinic, NewYork(10, 10));
        await fixture.PostActionAsync(clinic, id, "cancel", HttpStatusCode.OK);

        using var response = await _api.GetAsync($"{clinic.Path}/providers/{clinic.ProviderId}/appointments?date={NewYorkDate(NewYork(10, 10))}", Admin);
        var item = Assert.Single((await response.ExpectAsync(HttpStatusCode.OK)).GetProperty("items").EnumerateArray());
        Assert.Equal("cancelled", item.Str("status"));
    }

    [Theory]
    [InlineData("", "date")]
    [InlineData("?date=tomorrow", "date")]
    [InlineData("?date=2030-02-30", "date")]
    public async Task Provider_day_with_bad_date_is_400(string query, string field)
    {
        var clinic = await fixture.CreateClinicAsync();
        using var response = await _api.GetAsync($"{clinic.Path}/providers/{clinic.ProviderId}/appointments{query}", Admin);
        await response.ExpectValidationAsync(field);
    }

    [Fact]
    public async Task Provider_day_of_unknown_provider_is_404()
    {
        var clinic = await fixture.CreateClinicAsync();
        using var response = await _api.GetAsync($"{clinic.Path}/providers/prv-missing/appointments?date=2030-01-01", Admin);
        await response.ExpectProblemAsync(HttpStatusCode.NotFound, "not-found");
    }

    [Theory]
    [InlineData("9999-12-31")]
    [InlineData("0001-01-01")]
    public async Task Provider_day_at_the_edges_of_the_calendar_is_answered_without_a_server_error(string date)
    {
        var clinic = await fixture.CreateClinicAsync();
        using var response = await _api.GetAsync($"{clinic.Path}/providers/{clinic.ProviderId}/appointments?date={date}", Admin);
        Assert.Contains(response.StatusCode, new[] { HttpStatusCode.OK, HttpStatusCode.BadRequest });
    }
}
