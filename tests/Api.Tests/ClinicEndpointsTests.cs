using System.Net;
using static ClinicCluster.Api.Tests.TestData;

namespace ClinicCluster.Api.Tests;

[Collection(ApiCollection.Name)]
public sealed class ClinicEndpointsTests(ApiFixture fixture)
{
    private readonly ApiClient _api = fixture.Api;
    private static string Admin => ApiFixture.AdminToken;

    [Fact]
    public async Task Create_clinic_returns_201_with_location_and_settings()
    {
        var id = NewClinicId();
        using var response = await _api.PostAsync("/api/clinics", Admin, ClinicBody(id, DefaultPolicy(), name: "Riverside Family Practice"));

        var clinic = await response.ExpectAsync(HttpStatusCode.Created);
        Assert.Equal($"/api/clinics/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal(id, clinic.Str("id"));
        var settings = clinic.GetProperty("settings");
        Assert.Equal("Riverside Family Practice", settings.Str("name"));
        Assert.Equal(NewYorkZoneId, settings.Str("timeZone"));
        var type = Assert.Single(settings.GetProperty("appointmentTypes").EnumerateArray());
        Assert.Equal(Checkup, type.Str("name"));
        Assert.Equal(30, type.GetProperty("durationMinutes").GetInt32());
        Assert.Equal(10, type.GetProperty("bufferMinutes").GetInt32());
        Assert.Empty(clinic.GetProperty("providers").EnumerateArray());
    }

    [Fact]
    public async Task Create_clinic_without_policy_applies_the_default_policy()
    {
        var id = NewClinicId();
        using var response = await _api.PostAsync("/api/clinics", Admin, ClinicBody(id));

        var policy = (await response.ExpectAsync(HttpStatusCode.Created)).GetProperty("settings").GetProperty("policy");
        Assert.Equal(120, policy.GetProperty("minimumNoticeMinutes").GetInt32());
        Assert.Equal(90, policy.GetProperty("maximumHorizonDays").GetInt32());
        Assert.Equal(1440, policy.GetProperty("cancellationCutoffMinutes").GetInt32());
        Assert.Equal(15, policy.GetProperty("slotIntervalMinutes").GetInt32());
        Assert.Equal(120, policy.GetProperty("checkInOpensMinutes").GetInt32());
        Assert.Equal(30, policy.GetProperty("checkInGraceMinutes").GetInt32());
        Assert.Equal(15, policy.GetProperty("noShowGraceMinutes").GetInt32());
    }

    [Fact]
    public async Task A_policy_without_the_visit_time_fields_gets_their_defaults_and_given_ones_show_in_get()
    {
        var older = NewClinicId();
        using var created = await _api.PostAsync("/api/clinics", Admin,
            ClinicBody(older, new { minimumNoticeMinutes = 60, maximumHorizonDays = 30, cancellationCutoffMinutes = 0, slotIntervalMinutes = 15 }));
        await created.ExpectAsync(HttpStatusCode.Created);
        var clinic = await fixture.CreateClinicAsync(Policy(60, 30, 0, 15, checkInOpensMinutes: 45, checkInGraceMinutes: 0, noShowGraceMinutes: 600));

        using var readOlder = await _api.GetAsync($"/api/clinics/{older}", Admin);
        using var read = await _api.GetAsync(clinic.Path, Admin);

        var defaults = (await readOlder.ExpectAsync(HttpStatusCode.OK)).GetProperty("settings").GetProperty("policy");
        var given = (await read.ExpectAsync(HttpStatusCode.OK)).GetProperty("settings").GetProperty("policy");
        Assert.Equal((120, 30, 15), (defaults.GetProperty("checkInOpensMinutes").GetInt32(), defaults.GetProperty("checkInGraceMinutes").GetInt32(),
            defaults.GetProperty("noShowGraceMinutes").GetInt32()));
        Assert.Equal((45, 0, 600), (given.GetProperty("checkInOpensMinutes").GetInt32(), given.GetProperty("checkInGraceMinutes").GetInt32(),
            given.GetProperty("noShowGraceMinutes").GetInt32()));
    }

    [Fact]
    public async Task Visit_time_fields_out_of_range_are_400_naming_each_field()
    {
        using var response = await _api.PostAsync("/api/clinics", Admin,
            ClinicBody(NewClinicId(), Policy(120, 90, 1440, 15, checkInOpensMinutes: 1441, checkInGraceMinutes: -1, noShowGraceMinutes: 721)));

        var errors = (await response.ExpectValidationAsync("policy.checkInOpensMinutes")).GetProperty("errors");
        Assert.True(errors.TryGetProperty("policy.checkInGraceMinutes", out _), errors.ToString());
        Assert.True(errors.TryGetProperty("policy.noShowGraceMinutes", out _), errors.ToString());
    }

    [Fact]
    public async Task Create_clinic_twice_is_a_409_conflict()
    {
        var id = NewClinicId();
        using var first = await _api.PostAsync("/api/clinics", Admin, ClinicBody(id));
        await first.ExpectAsync(HttpStatusCode.Created);

        using var second = await _api.PostAsync("/api/clinics", Admin, ClinicBody(id, name: "Another"));
        await second.ExpectProblemAsync(HttpStatusCode.Conflict, "clinic-exists");
    }

    [Theory]
    [InlineData("{\"id\": \"c-1\", \"name\": ")]
    [InlineData("{not json}")]
    [InlineData("[1, 2, 3]")]
    public async Task Create_clinic_with_malformed_json_is_400(string json)
    {
        using var response = await _api.SendRawAsync(HttpMethod.Post, "/api/clinics", Admin, json);
        await response.ExpectProblemAsync(HttpStatusCode.BadRequest, "validation");
    }

    [Fact]
    public async Task Create_clinic_without_a_body_is_400()
    {
        using var response = await _api.SendAsync(HttpMethod.Post, "/api/clinics", Admin);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Create_clinic_missing_time_zone_is_400_naming_the_field()
    {
        var json = $$"""{"id":"{{NewClinicId()}}","name":"x","appointmentTypes":[{"name":"checkup","durationMinutes":30}]}""";
        using var response = await _api.SendRawAsync(HttpMethod.Post, "/api/clinics", Admin, json);
        await response.ExpectValidationAsync("timeZone");
    }

    [Fact]
    public async Task Create_clinic_with_null_name_is_400_naming_the_field()
    {
        var json = $$"""{"id":"{{NewClinicId()}}","name":null,"timeZone":"America/New_York","appointmentTypes":[{"name":"checkup","durationMinutes":30}]}""";
        using var response = await _api.SendRawAsync(HttpMethod.Post, "/api/clinics", Admin, json);
        await response.ExpectValidationAsync("name");
    }

    [Fact]
    public async Task Create_clinic_with_a_wrongly_typed_field_is_400_naming_the_field()
    {
        var json = $$"""{"id":"{{NewClinicId()}}","name":"x","timeZone":"America/New_York","appointmentTypes":[{"name":"checkup","durationMinutes":"thirty"}]}""";
        using var response = await _api.SendRawAsync(HttpMethod.Post, "/api/clinics", Admin, json);
        await response.ExpectValidationAsync("appointmentTypes[0].durationMinutes");
    }

    [Fact]
    public async Task Create_clinic_with_missing_nested_field_is_400_naming_the_nested_field()
    {
        var json = $$"""{"id":"{{NewClinicId()}}","name":"x","timeZone":"America/New_York","appointmentTypes":[{"name":"checkup"}]}""";
        using var response = await _api.SendRawAsync(HttpMethod.Post, "/api/clinics", Admin, json);
        await response.ExpectValidationAsync("appointmentTypes[0].durationMinutes");
    }

    [Fact]
    public async Task Create_clinic_with_unknown_time_zone_is_400()
    {
        using var response = await _api.PostAsync("/api/clinics", Admin, ClinicBody(NewClinicId(), timeZone: "Mars/Olympus_Mons"));
        await response.ExpectValidationAsync("timeZone");
    }

    [Fact]
    public async Task Create_clinic_with_invalid_rules_is_400_naming_each_field()
    {
        var body = new
        {
            id = NewClinicId(),
            name = " ",
            timeZone = NewYorkZoneId,
            appointmentTypes = new[] { new { name = Checkup, durationMinutes = 0, bufferMinutes = 0 } },
            policy = Policy(0, 0, 0, 1),
        };
        using var response = await _api.PostAsync("/api/clinics", Admin, body);

        var problem = await response.ExpectValidationAsync("name");
        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty("appointmentTypes[0].durationMinutes", out _), errors.ToString());
        Assert.True(errors.TryGetProperty("policy.maximumHorizonDays", out _), errors.ToString());
        Assert.True(errors.TryGetProperty("policy.slotIntervalMinutes", out _), errors.ToString());
    }

    [Theory]
    [InlineData("UPPER")]
    [InlineData("has space")]
    [InlineData("-leading-hyphen")]
    public async Task Create_clinic_with_an_invalid_id_is_400(string id)
    {
        using var response = await _api.PostAsync("/api/clinics", Admin, ClinicBody(id));
        await response.ExpectValidationAsync("id");
    }

    [Fact]
    public async Task Get_clinic_returns_settings_and_providers()
    {
        var clinic = await fixture.CreateClinicAsync();
        using var response = await _api.GetAsync(clinic.Path, Admin);

        var json = await response.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(clinic.Id, json.Str("id"));
        var provider = Assert.Single(json.GetProperty("providers").EnumerateArray());
        Assert.Equal(clinic.ProviderId, provider.Str("id"));
    }

    [Fact]
    public async Task Get_unknown_clinic_is_404()
    {
        using var response = await _api.GetAsync($"/api/clinics/{NewClinicId()}", Admin);
        await response.ExpectProblemAsync(HttpStatusCode.NotFound, "not-found");
    }

    [Theory]
    [InlineData("UPPER")]
    [InlineData("a_b")]
    [InlineData("-x")]
    [InlineData("c-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    [InlineData("c%2Fx")]
    public async Task Clinic_id_with_illegal_characters_in_the_route_is_404(string id)
    {
        using var get = await _api.GetAsync($"/api/clinics/{id}", Admin);
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        using var providers = await _api.GetAsync($"/api/clinics/{id}/providers", Admin);
        Assert.Equal(HttpStatusCode.NotFound, providers.StatusCode);
    }

    [Fact]
    public async Task Update_clinic_replaces_its_settings()
    {
        var clinic = await fixture.CreateClinicAsync();
        var body = new
        {
            name = "Renamed clinic",
            timeZone = "America/Chicago",
            appointmentTypes = new[]
            {
                new { name = Checkup, durationMinutes = 30, bufferMinutes = 10 },
                new { name = "consult", durationMinutes = 60, bufferMinutes = 15 },
            },
            policy = Policy(60, 30, 720, 30),
        };
        using var response = await _api.PutAsync(clinic.Path, Admin, body);

        var settings = (await response.ExpectAsync(HttpStatusCode.OK)).GetProperty("settings");
        Assert.Equal("Renamed clinic", settings.Str("name"));
        Assert.Equal("America/Chicago", settings.Str("timeZone"));
        Assert.Equal(2, settings.GetProperty("appointmentTypes").GetArrayLength());
        Assert.Equal(30, settings.GetProperty("policy").GetProperty("slotIntervalMinutes").GetInt32());

        using var read = await _api.GetAsync(clinic.Path, Admin);
        var stored = await read.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Renamed clinic", stored.GetProperty("settings").Str("name"));
        Assert.Single(stored.GetProperty("providers").EnumerateArray());
    }

    [Fact]
    public async Task Update_clinic_without_policy_is_400_naming_policy()
    {
        var clinic = await fixture.CreateClinicAsync();
        var json = """{"name":"x","timeZone":"America/New_York","appointmentTypes":[{"name":"checkup","durationMinutes":30}]}""";
        using var response = await _api.SendRawAsync(HttpMethod.Put, clinic.Path, Admin, json);
        await response.ExpectValidationAsync("policy");
    }

    [Fact]
    public async Task Update_clinic_with_malformed_json_is_400()
    {
        var clinic = await fixture.CreateClinicAsync();
        using var response = await _api.SendRawAsync(HttpMethod.Put, clinic.Path, Admin, "{\"name\":");
        await response.ExpectProblemAsync(HttpStatusCode.BadRequest, "validation");
    }

    [Fact]
    public async Task Update_clinic_with_invalid_rules_is_400()
    {
        var clinic = await fixture.CreateClinicAsync();
        var body = new
        {
            name = "x",
            timeZone = "Not/AZone",
            appointmentTypes = Array.Empty<object>(),
            policy = DefaultPolicy(),
        };
        using var response = await _api.PutAsync(clinic.Path, Admin, body);
        var problem = await response.ExpectValidationAsync("timeZone");
        Assert.True(problem.GetProperty("errors").TryGetProperty("appointmentTypes", out _));
    }

    [Fact]
    public async Task Update_unknown_clinic_is_404()
    {
        var body = new { name = "x", timeZone = NewYorkZoneId, appointmentTypes = new[] { new { name = Checkup, durationMinutes = 30, bufferMinutes = 0 } }, policy = DefaultPolicy() };
        using var response = await _api.PutAsync($"/api/clinics/{NewClinicId()}", Admin, body);
        await response.ExpectProblemAsync(HttpStatusCode.NotFound, "not-found");
    }

    [Fact]
    public async Task Add_provider_returns_201_with_location()
    {
        var clinic = await fixture.CreateClinicAsync();
        using var response = await _api.PostAsync($"{clinic.Path}/providers", Admin, ProviderBody("Dr. Ada Lovelace"));

        var provider = await response.ExpectAsync(HttpStatusCode.Created);
        var id = provider.Str("id");
        Assert.StartsWith("prv-", id, StringComparison.Ordinal);
        Assert.Equal($"{clinic.Path}/providers/{id}", response.Headers.Location?.OriginalString);
        var profile = provider.GetProperty("profile");
        Assert.Equal("Dr. Ada Lovelace", profile.Str("name"));
        Assert.Equal(7, profile.GetProperty("workingHours").GetArrayLength());
        Assert.Equal("monday", profile.GetProperty("workingHours")[0].Str("day"));
    }

    [Fact]
    public async Task Add_provider_missing_name_is_400_naming_the_field()
    {
        var clinic = await fixture.CreateClinicAsync();
        var json = """{"specialty":"x","workingHours":[],"timeOff":[]}""";
        using var response = await _api.SendRawAsync(HttpMethod.Post, $"{clinic.Path}/providers", Admin, json);
        await response.ExpectValidationAsync("name");
    }

    [Fact]
    public async Task Add_provider_with_an_unknown_day_is_400_naming_the_field()
    {
        var clinic = await fixture.CreateClinicAsync();
        var json = """{"name":"Dr. X","specialty":"x","workingHours":[{"day":"funday","start":"08:00:00","end":"12:00:00"}],"timeOff":[]}""";
        using var response = await _api.SendRawAsync(HttpMethod.Post, $"{clinic.Path}/providers", Admin, json);
        await response.ExpectValidationAsync("workingHours[0].day");
    }

    [Fact]
    public async Task Add_provider_with_a_day_as_a_number_is_400()
    {
        var clinic = await fixture.CreateClinicAsync();
        var json = """{"name":"Dr. X","specialty":"x","workingHours":[{"day":1,"start":"08:00:00","end":"12:00:00"}],"timeOff":[]}""";
        using var response = await _api.SendRawAsync(HttpMethod.Post, $"{clinic.Path}/providers", Admin, json);
        await response.ExpectValidationAsync("workingHours[0].day");
    }

    [Fact]
    public async Task Add_provider_with_a_window_ending_before_it_starts_is_400()
    {
        var clinic = await fixture.CreateClinicAsync();
        using var response = await _api.PostAsync($"{clinic.Path}/providers", Admin, ProviderBody(start: "17:00:00", end: "09:00:00"));
        await response.ExpectValidationAsync("workingHours[0].end");
    }

    [Fact]
    public async Task Add_provider_with_time_off_without_offset_is_400()
    {
        var clinic = await fixture.CreateClinicAsync();
        var json = """{"name":"Dr. X","specialty":"x","workingHours":[],"timeOff":[{"start":"2030-01-01T00:00:00","end":"2030-01-02T00:00:00-05:00"}]}""";
        using var response = await _api.SendRawAsync(HttpMethod.Post, $"{clinic.Path}/providers", Admin, json);
        await response.ExpectValidationAsync("timeOff[0].start");
    }

    [Fact]
    public async Task Add_provider_to_unknown_clinic_is_404()
    {
        using var response = await _api.PostAsync($"/api/clinics/{NewClinicId()}/providers", Admin, ProviderBody());
        await response.ExpectProblemAsync(HttpStatusCode.NotFound, "not-found");
    }

    [Fact]
    public async Task List_providers_returns_every_provider()
    {
        var clinic = await fixture.CreateClinicAsync();
        var second = await fixture.AddProviderAsync(clinic.Id, name: "Dr. Second");

        using var response = await _api.GetAsync($"{clinic.Path}/providers", Admin);
        var ids = (await response.ExpectAsync(HttpStatusCode.OK)).EnumerateArray().Select(p => p.Str("id")).ToList();
        Assert.Equal([clinic.ProviderId, second], ids);
    }

    [Fact]
    public async Task List_providers_of_unknown_clinic_is_404()
    {
        using var response = await _api.GetAsync($"/api/clinics/{NewClinicId()}/providers", Admin);
        await response.ExpectProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Get_provider_returns_the_provider()
    {
        var clinic = await fixture.CreateClinicAsync();
        using var response = await _api.GetAsync($"{clinic.Path}/providers/{clinic.ProviderId}", Admin);

        var provider = await response.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(clinic.ProviderId, provider.Str("id"));
        Assert.Equal("Family medicine", provider.GetProperty("profile").Str("specialty"));
    }

    [Fact]
    public async Task Get_unknown_provider_is_404()
    {
        var clinic = await fixture.CreateClinicAsync();
        using var response = await _api.GetAsync($"{clinic.Path}/providers/prv-missing", Admin);
        await response.ExpectProblemAsync(HttpStatusCode.NotFound, "not-found");
    }

    [Fact]
    public async Task Provider_id_with_illegal_characters_is_404()
    {
        var clinic = await fixture.CreateClinicAsync();
        using var get = await _api.GetAsync($"{clinic.Path}/providers/UPPER", Admin);
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        using var put = await _api.PutAsync($"{clinic.Path}/providers/UPPER", Admin, ProviderBody());
        Assert.Equal(HttpStatusCode.NotFound, put.StatusCode);
    }

    [Fact]
    public async Task Update_provider_replaces_the_profile()
    {
        var clinic = await fixture.CreateClinicAsync();
        using var response = await _api.PutAsync($"{clinic.Path}/providers/{clinic.ProviderId}", Admin, ProviderBody("Dr. Renamed", "09:00:00", "13:00:00"));

        var provider = await response.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(clinic.ProviderId, provider.Str("id"));
        Assert.Equal("Dr. Renamed", provider.GetProperty("profile").Str("name"));
        Assert.Equal("13:00:00", provider.GetProperty("profile").GetProperty("workingHours")[0].Str("end"));

        using var read = await _api.GetAsync($"{clinic.Path}/providers/{clinic.ProviderId}", Admin);
        Assert.Equal("Dr. Renamed", (await read.ExpectAsync(HttpStatusCode.OK)).GetProperty("profile").Str("name"));
    }

    [Fact]
    public async Task Update_unknown_provider_is_404()
    {
        var clinic = await fixture.CreateClinicAsync();
        using var response = await _api.PutAsync($"{clinic.Path}/providers/prv-missing", Admin, ProviderBody());
        await response.ExpectProblemAsync(HttpStatusCode.NotFound, "not-found");
    }

    [Fact]
    public async Task Update_provider_missing_field_is_400_naming_it()
    {
        var clinic = await fixture.CreateClinicAsync();
        var json = """{"name":"Dr. X","workingHours":[],"timeOff":[]}""";
        using var response = await _api.SendRawAsync(HttpMethod.Put, $"{clinic.Path}/providers/{clinic.ProviderId}", Admin, json);
        await response.ExpectValidationAsync("specialty");
    }

    [Fact]
    public async Task Availability_lists_open_slots_and_leaves_out_booked_time_and_its_buffer()
    {
        var clinic = await fixture.CreateClinicAsync();
        var booked = NewYork(10, 10);
        var patient = await fixture.RegisterPatientAsync(clinic.Id);
        await fixture.BookAsync(clinic, patient, booked);
        var date = NewYorkDate(booked);

        using var response = await _api.GetAsync(
            $"{clinic.Path}/providers/{clinic.ProviderId}/availability?from={date}&to={date}&type=checkup", Admin);

        var json = await response.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(clinic.ProviderId, json.Str("providerId"));
        Assert.Equal(Checkup, json.Str("appointmentType"));
        Assert.Equal(NewYorkZoneId, json.Str("timeZone"));
        var starts = json.GetProperty("slots").EnumerateArray().Select(s => s.Instant("start")).ToHashSet();

        // 08:00 to 19:30 every 15 minutes is 47 slots. A visit blocks the provider for its 30 minutes
        // plus a 10-minute buffer, so 09:30 (buffer until 10:10), 09:45, 10:00, 10:15 and 10:30
        // (the booked visit's buffer runs to 10:40) are taken.
        Assert.Equal(42, starts.Count);
        Assert.Contains(NewYork(10, 8), starts);
        Assert.Contains(NewYork(10, 9, 15), starts);
        Assert.Contains(NewYork(10, 10, 45), starts);
        Assert.Contains(NewYork(10, 19, 30), starts);
        Assert.DoesNotContain(NewYork(10, 9, 30), starts);
        Assert.DoesNotContain(NewYork(10, 9, 45), starts);
        Assert.DoesNotContain(booked, starts);
        Assert.DoesNotContain(NewYork(10, 10, 30), starts);
        Assert.DoesNotContain(NewYork(10, 19, 45), starts);

        var first = json.GetProperty("slots")[0];
        Assert.Equal(first.Instant("start").AddMinutes(30), first.Instant("end"));
        Assert.Equal(booked.Offset, first.Instant("start").Offset);
    }

    [Fact]
    public async Task Availability_of_unknown_provider_is_404()
    {
        var clinic = await fixture.CreateClinicAsync();
        var date = NewYorkDate(NewYork(10, 10));
        using var response = await _api.GetAsync($"{clinic.Path}/providers/prv-missing/availability?from={date}&to={date}&type=checkup", Admin);
        await response.ExpectProblemAsync(HttpStatusCode.NotFound, "not-found");
    }

    [Fact]
    public async Task Availability_in_unknown_clinic_is_404()
    {
        using var response = await _api.GetAsync($"/api/clinics/{NewClinicId()}/providers/prv-x/availability?from=2030-01-01&to=2030-01-01&type=checkup", Admin);
        await response.ExpectProblemAsync(HttpStatusCode.NotFound, "not-found");
    }

    [Fact]
    public async Task Availability_for_unknown_type_is_400()
    {
        var clinic = await fixture.CreateClinicAsync();
        var date = NewYorkDate(NewYork(10, 10));
        using var response = await _api.GetAsync($"{clinic.Path}/providers/{clinic.ProviderId}/availability?from={date}&to={date}&type=surgery", Admin);
        await response.ExpectValidationAsync("appointmentType");
    }

    [Theory]
    [InlineData("from=2030-01-01&to=2030-01-02", "type")]
    [InlineData("to=2030-01-02&type=checkup", "from")]
    [InlineData("from=2030-13-01&to=2030-01-02&type=checkup", "from")]
    [InlineData("from=2030-01-01&to=tomorrow&type=checkup", "to")]
    [InlineData("from=2030-01-05&to=2030-01-01&type=checkup", "to")]
    [InlineData("from=2030-01-01&to=2030-03-01&type=checkup", "to")]
    public async Task Availability_with_bad_query_is_400_naming_the_parameter(string query, string field)
    {
        var clinic = await fixture.CreateClinicAsync();
        using var response = await _api.GetAsync($"{clinic.Path}/providers/{clinic.ProviderId}/availability?{query}", Admin);
        await response.ExpectValidationAsync(field);
    }

    [Theory]
    [InlineData("9999-12-31", "9999-12-31")]
    [InlineData("0001-01-01", "0001-01-01")]
    public async Task Availability_at_the_edges_of_the_calendar_is_answered_without_a_server_error(string from, string to)
    {
        var clinic = await fixture.CreateClinicAsync();
        using var response = await _api.GetAsync($"{clinic.Path}/providers/{clinic.ProviderId}/availability?from={from}&to={to}&type=checkup", Admin);

        // Dates far outside the booking horizon have no open slots; either an empty list or a 400 is fine.
        Assert.Contains(response.StatusCode, new[] { HttpStatusCode.OK, HttpStatusCode.BadRequest });
        if (response.StatusCode == HttpStatusCode.OK)
        {
            Assert.Empty((await response.ExpectAsync(HttpStatusCode.OK)).GetProperty("slots").EnumerateArray());
        }
    }
}
