using System.Net;
using System.Text.Json;
using static ClinicCluster.Api.Tests.TestData;

namespace ClinicCluster.Api.Tests;

[Collection(ApiCollection.Name)]
public sealed class PatientEndpointsTests(ApiFixture fixture)
{
    private readonly ApiClient _api = fixture.Api;
    private static string Admin => ApiFixture.AdminToken;

    [Fact]
    public async Task Register_patient_returns_201_with_location_and_demographics()
    {
        var clinic = await fixture.CreateClinicAsync();
        var mrn = NewMrn();
        using var response = await _api.PostAsync($"{clinic.Path}/patients", Admin, PatientBody(mrn, "Grace", "Hopper"));

        var patient = await response.ExpectAsync(HttpStatusCode.Created);
        var id = patient.Str("id");
        Assert.StartsWith("pat-", id, StringComparison.Ordinal);
        Assert.Equal($"{clinic.Path}/patients/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal(clinic.Id, patient.Str("clinicId"));
        var demographics = patient.GetProperty("demographics");
        Assert.Equal(mrn, demographics.Str("mrn"));
        Assert.Equal("Grace", demographics.Str("givenName"));
        Assert.Equal("Hopper", demographics.Str("familyName"));
        Assert.Equal("1980-01-31", demographics.Str("birthDate"));
        Assert.Equal("female", demographics.Str("sex"));
        Assert.Equal(patient.Instant("createdAt"), patient.Instant("updatedAt"));
    }

    [Fact]
    public async Task Register_patient_with_a_full_address_is_201()
    {
        var clinic = await fixture.CreateClinicAsync();
        var body = new
        {
            mrn = NewMrn(),
            givenName = "Zoë",
            familyName = "O'Brien-Smith",
            birthDate = "2001-12-01",
            sex = "other",
            address = new { line1 = "1 Main St", line2 = "Apt 4", city = "New York", region = "NY", postalCode = "10001", country = "US" },
        };
        using var response = await _api.PostAsync($"{clinic.Path}/patients", Admin, body);

        var address = (await response.ExpectAsync(HttpStatusCode.Created)).GetProperty("demographics").GetProperty("address");
        Assert.Equal("Apt 4", address.Str("line2"));
        Assert.Equal("US", address.Str("country"));
    }

    [Fact]
    public async Task Register_patient_with_an_address_without_its_optional_lines_is_201()
    {
        // line2 and region are nullable (optional) parts of an address; leaving them out must not be an error.
        var clinic = await fixture.CreateClinicAsync();
        var body = new
        {
            mrn = NewMrn(),
            givenName = "Ada",
            familyName = "Byron",
            birthDate = "1990-06-15",
            sex = "female",
            address = new { line1 = "1 Main St", city = "New York", postalCode = "10001", country = "US" },
        };
        using var response = await _api.PostAsync($"{clinic.Path}/patients", Admin, body);
        await response.ExpectAsync(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Register_patient_with_optional_contact_details_left_out_is_201()
    {
        var clinic = await fixture.CreateClinicAsync();
        var json = $$"""{"mrn":"{{NewMrn()}}","givenName":"Ada","familyName":"Byron","birthDate":"1990-06-15","sex":"unknown"}""";
        using var response = await _api.SendRawAsync(HttpMethod.Post, $"{clinic.Path}/patients", Admin, json);

        var demographics = (await response.ExpectAsync(HttpStatusCode.Created)).GetProperty("demographics");
        Assert.Equal("unknown", demographics.Str("sex"));
    }

    [Theory]
    [InlineData("{\"mrn\": \"x\",")]
    [InlineData("not json at all")]
    [InlineData("\"a string\"")]
    public async Task Register_patient_with_malformed_json_is_400(string json)
    {
        var clinic = await fixture.CreateClinicAsync();
        using var response = await _api.SendRawAsync(HttpMethod.Post, $"{clinic.Path}/patients", Admin, json);
        await response.ExpectProblemAsync(HttpStatusCode.BadRequest, "validation");
    }

    [Theory]
    [InlineData("mrn")]
    [InlineData("givenName")]
    [InlineData("familyName")]
    [InlineData("birthDate")]
    [InlineData("sex")]
    public async Task Register_patient_missing_a_required_field_is_400_naming_it(string field)
    {
        var clinic = await fixture.CreateClinicAsync();
        var fields = new Dictionary<string, object>
        {
            ["mrn"] = NewMrn(),
            ["givenName"] = "Ada",
            ["familyName"] = "Byron",
            ["birthDate"] = "1990-06-15",
            ["sex"] = "female",
        };
        fields.Remove(field);
        using var response = await _api.PostAsync($"{clinic.Path}/patients", Admin, fields);
        await response.ExpectValidationAsync(field);
    }

    [Theory]
    [InlineData("birthDate", "\"31/01/1980\"")]
    [InlineData("birthDate", "19800131")]
    [InlineData("sex", "\"robot\"")]
    [InlineData("sex", "2")]
    [InlineData("givenName", "42")]
    [InlineData("mrn", "null")]
    public async Task Register_patient_with_a_wrongly_typed_field_is_400_naming_it(string field, string value)
    {
        var clinic = await fixture.CreateClinicAsync();
        var fields = new Dictionary<string, string>
        {
            ["mrn"] = $"\"{NewMrn()}\"",
            ["givenName"] = "\"Ada\"",
            ["familyName"] = "\"Byron\"",
            ["birthDate"] = "\"1990-06-15\"",
            ["sex"] = "\"female\"",
        };
        fields[field] = value;
        var json = "{" + string.Join(",", fields.Select(f => $"\"{f.Key}\":{f.Value}")) + "}";
        using var response = await _api.SendRawAsync(HttpMethod.Post, $"{clinic.Path}/patients", Admin, json);
        await response.ExpectValidationAsync(field);
    }

    [Fact]
    public async Task Register_patient_breaking_rules_is_400_naming_every_field()
    {
        var clinic = await fixture.CreateClinicAsync();
        var body = new
        {
            mrn = "MRN 1/2",
            givenName = "",
            familyName = "Byron",
            birthDate = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(2).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            sex = "female",
            phone = "call me",
            email = "not-an-email",
        };
        using var response = await _api.PostAsync($"{clinic.Path}/patients", Admin, body);

        var errors = (await response.ExpectValidationAsync("mrn")).GetProperty("errors");
        foreach (var field in new[] { "givenName", "birthDate", "phone", "email" })
        {
            Assert.True(errors.TryGetProperty(field, out _), $"No error for {field}: {errors}");
        }

        // Messages name the rule, never the value (PHI).
        Assert.DoesNotContain("not-an-email", errors.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("call me", errors.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Register_patient_with_a_taken_mrn_is_409_whatever_its_case()
    {
        var clinic = await fixture.CreateClinicAsync();
        var mrn = NewMrn();
        await fixture.RegisterPatientAsync(clinic.Id, mrn);

        using var response = await _api.PostAsync($"{clinic.Path}/patients", Admin, PatientBody(mrn.ToLowerInvariant(), "Other", "Person"));
        await response.ExpectProblemAsync(HttpStatusCode.Conflict, "mrn-taken");
    }

    [Fact]
    public async Task The_same_mrn_can_be_registered_in_two_clinics()
    {
        var first = await fixture.CreateClinicAsync();
        var second = await fixture.CreateClinicAsync();
        var mrn = NewMrn();
        await fixture.RegisterPatientAsync(first.Id, mrn);

        using var response = await _api.PostAsync($"{second.Path}/patients", Admin, PatientBody(mrn));
        await response.ExpectAsync(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Register_patient_in_unknown_clinic_is_404()
    {
        using var response = await _api.PostAsync($"/api/clinics/{NewClinicId()}/patients", Admin, PatientBody());
        await response.ExpectProblemAsync(HttpStatusCode.NotFound, "not-found");
    }

    [Fact]
    public async Task Get_patient_returns_the_record()
    {
        var clinic = await fixture.CreateClinicAsync();
        var id = await fixture.RegisterPatientAsync(clinic.Id, givenName: "Katherine", familyName: "Johnson");

        using var response = await _api.GetAsync($"{clinic.Path}/patients/{id}", Admin);
        var patient = await response.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(id, patient.Str("id"));
        Assert.Equal("Johnson", patient.GetProperty("demographics").Str("familyName"));
    }

    [Fact]
    public async Task Get_unknown_patient_is_404()
    {
        var clinic = await fixture.CreateClinicAsync();
        using var response = await _api.GetAsync($"{clinic.Path}/patients/pat-missing", Admin);
        await response.ExpectProblemAsync(HttpStatusCode.NotFound, "not-found");
    }

    [Fact]
    public async Task Patient_of_another_clinic_is_404()
    {
        var home = await fixture.CreateClinicAsync();
        var other = await fixture.CreateClinicAsync();
        var id = await fixture.RegisterPatientAsync(home.Id);

        using var response = await _api.GetAsync($"{other.Path}/patients/{id}", Admin);
        await response.ExpectProblemAsync(HttpStatusCode.NotFound, "not-found");
    }

    [Fact]
    public async Task Get_patient_in_unknown_clinic_is_404()
    {
        using var response = await _api.GetAsync($"/api/clinics/{NewClinicId()}/patients/pat-1", Admin);
        await response.ExpectProblemAsync(HttpStatusCode.NotFound, "not-found");
    }

    [Theory]
    [InlineData("UPPER")]
    [InlineData("pat_1")]
    [InlineData("pat.1")]
    public async Task Patient_id_with_illegal_characters_is_404(string id)
    {
        var clinic = await fixture.CreateClinicAsync();
        using var get = await _api.GetAsync($"{clinic.Path}/patients/{id}", Admin);
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        using var put = await _api.PutAsync($"{clinic.Path}/patients/{id}", Admin, PatientBody());
        Assert.Equal(HttpStatusCode.NotFound, put.StatusCode);
        using var list = await _api.GetAsync($"{clinic.Path}/patients/{id}/appointments", Admin);
        Assert.Equal(HttpStatusCode.NotFound, list.StatusCode);
    }

    [Fact]
    public async Task Update_patient_replaces_demographics_and_keeps_created_at()
    {
        var clinic = await fixture.CreateClinicAsync();
        using var created = await _api.PostAsync($"{clinic.Path}/patients", Admin, PatientBody(givenName: "Mary", familyName: "Jackson"));
        var original = await created.ExpectAsync(HttpStatusCode.Created);
        var id = original.Str("id");
        var newMrn = NewMrn();

        using var response = await _api.PutAsync($"{clinic.Path}/patients/{id}", Admin, PatientBody(newMrn, "Mary", "Winston Jackson"));
        var updated = await response.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(id, updated.Str("id"));
        Assert.Equal(newMrn, updated.GetProperty("demographics").Str("mrn"));
        Assert.Equal("Winston Jackson", updated.GetProperty("demographics").Str("familyName"));
        Assert.Equal(original.Instant("createdAt"), updated.Instant("createdAt"));
        Assert.True(updated.Instant("updatedAt") >= original.Instant("updatedAt"));

        using var read = await _api.GetAsync($"{clinic.Path}/patients/{id}", Admin);
        Assert.Equal(newMrn, (await read.ExpectAsync(HttpStatusCode.OK)).GetProperty("demographics").Str("mrn"));
    }

    [Fact]
    public async Task Update_patient_to_a_taken_mrn_is_409()
    {
        var clinic = await fixture.CreateClinicAsync();
        var taken = NewMrn();
        await fixture.RegisterPatientAsync(clinic.Id, taken);
        var id = await fixture.RegisterPatientAsync(clinic.Id);

        using var response = await _api.PutAsync($"{clinic.Path}/patients/{id}", Admin, PatientBody(taken));
        await response.ExpectProblemAsync(HttpStatusCode.Conflict, "mrn-taken");
    }

    [Fact]
    public async Task Update_unknown_patient_is_404()
    {
        var clinic = await fixture.CreateClinicAsync();
        using var response = await _api.PutAsync($"{clinic.Path}/patients/pat-missing", Admin, PatientBody());
        await response.ExpectProblemAsync(HttpStatusCode.NotFound, "not-found");
    }

    [Fact]
    public async Task Update_patient_missing_a_field_or_with_malformed_json_is_400()
    {
        var clinic = await fixture.CreateClinicAsync();
        var id = await fixture.RegisterPatientAsync(clinic.Id);

        using var missing = await _api.SendRawAsync(HttpMethod.Put, $"{clinic.Path}/patients/{id}", Admin,
            """{"mrn":"M-1","givenName":"A","birthDate":"1990-01-01","sex":"male"}""");
        await missing.ExpectValidationAsync("familyName");

        using var malformed = await _api.SendRawAsync(HttpMethod.Put, $"{clinic.Path}/patients/{id}", Admin, "{");
        await malformed.ExpectProblemAsync(HttpStatusCode.BadRequest, "validation");
    }

    [Fact]
    public async Task Search_by_mrn_finds_the_patient_whatever_the_case()
    {
        var clinic = await fixture.CreateClinicAsync();
        var mrn = NewMrn();
        var id = await fixture.RegisterPatientAsync(clinic.Id, mrn, "Dorothy", "Vaughan");

        using var response = await _api.GetAsync($"{clinic.Path}/patients?mrn={mrn.ToLowerInvariant()}", Admin);
        var hit = Assert.Single((await response.ExpectAsync(HttpStatusCode.OK)).GetProperty("items").EnumerateArray());
        Assert.Equal(id, hit.Str("id"));
        Assert.Equal(mrn, hit.Str("mrn"));
        Assert.Equal("Dorothy", hit.Str("givenName"));
        Assert.Equal("Vaughan", hit.Str("familyName"));
        Assert.Equal("1980-01-31", hit.Str("birthDate"));
    }

    [Fact]
    public async Task Search_by_unknown_mrn_or_an_mrn_of_another_clinic_finds_nothing()
    {
        var clinic = await fixture.CreateClinicAsync();
        var other = await fixture.CreateClinicAsync();
        var mrn = NewMrn();
        await fixture.RegisterPatientAsync(other.Id, mrn);

        using var unknown = await _api.GetAsync($"{clinic.Path}/patients?mrn=NOPE-1", Admin);
        Assert.Empty((await unknown.ExpectAsync(HttpStatusCode.OK)).GetProperty("items").EnumerateArray());
        using var foreign = await _api.GetAsync($"{clinic.Path}/patients?mrn={mrn}", Admin);
        Assert.Empty((await foreign.ExpectAsync(HttpStatusCode.OK)).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task Search_by_old_mrn_after_a_change_finds_nothing()
    {
        var clinic = await fixture.CreateClinicAsync();
        var oldMrn = NewMrn();
        var id = await fixture.RegisterPatientAsync(clinic.Id, oldMrn);
        using var update = await _api.PutAsync($"{clinic.Path}/patients/{id}", Admin, PatientBody(NewMrn()));
        await update.ExpectAsync(HttpStatusCode.OK);

        using var response = await _api.GetAsync($"{clinic.Path}/patients?mrn={oldMrn}", Admin);
        Assert.Empty((await response.ExpectAsync(HttpStatusCode.OK)).GetProperty("items").EnumerateArray());

        // The old MRN is free again.
        await fixture.RegisterPatientAsync(clinic.Id, oldMrn);
    }

    [Fact]
    public async Task Search_by_name_prefix_matches_given_and_family_names_in_order()
    {
        var clinic = await fixture.CreateClinicAsync();
        var zoe = await fixture.RegisterPatientAsync(clinic.Id, givenName: "Zoë", familyName: "Marlowe");
        var marta = await fixture.RegisterPatientAsync(clinic.Id, givenName: "Marta", familyName: "Adams");
        await fixture.RegisterPatientAsync(clinic.Id, givenName: "Bob", familyName: "Smith");

        using var byPrefix = await _api.GetAsync($"{clinic.Path}/patients?name=mar", Admin);
        var ids = (await byPrefix.ExpectAsync(HttpStatusCode.OK)).GetProperty("items").EnumerateArray().Select(p => p.Str("id")).ToList();
        Assert.Equal([marta, zoe], ids);

        using var accentless = await _api.GetAsync($"{clinic.Path}/patients?name=zoe", Admin);
        var hit = Assert.Single((await accentless.ExpectAsync(HttpStatusCode.OK)).GetProperty("items").EnumerateArray());
        Assert.Equal(zoe, hit.Str("id"));

        using var limited = await _api.GetAsync($"{clinic.Path}/patients?name=mar&limit=1", Admin);
        var first = Assert.Single((await limited.ExpectAsync(HttpStatusCode.OK)).GetProperty("items").EnumerateArray());
        Assert.Equal(marta, first.Str("id"));
    }

    [Fact]
    public async Task Search_by_name_follows_a_rename()
    {
        var clinic = await fixture.CreateClinicAsync();
        var id = await fixture.RegisterPatientAsync(clinic.Id, givenName: "Quincy", familyName: "Xavier");
        using var update = await _api.PutAsync($"{clinic.Path}/patients/{id}", Admin, PatientBody(givenName: "Quincy", familyName: "Yates"));
        await update.ExpectAsync(HttpStatusCode.OK);

        using var old = await _api.GetAsync($"{clinic.Path}/patients?name=xavier", Admin);
        Assert.Empty((await old.ExpectAsync(HttpStatusCode.OK)).GetProperty("items").EnumerateArray());
        using var renamed = await _api.GetAsync($"{clinic.Path}/patients?name=yat", Admin);
        Assert.Equal(id, Assert.Single((await renamed.ExpectAsync(HttpStatusCode.OK)).GetProperty("items").EnumerateArray()).Str("id"));
    }

    [Theory]
    [InlineData("", "query")]
    [InlineData("?limit=5", "query")]
    [InlineData("?mrn=A-1&name=smith", "query")]
    [InlineData("?name=smith&limit=0", "limit")]
    [InlineData("?name=smith&limit=101", "limit")]
    [InlineData("?name=smith&limit=ten", "limit")]
    [InlineData("?name=%20%20", "name")]
    public async Task Search_with_bad_query_is_400_naming_the_parameter(string query, string field)
    {
        var clinic = await fixture.CreateClinicAsync();
        using var response = await _api.GetAsync($"{clinic.Path}/patients{query}", Admin);
        await response.ExpectValidationAsync(field);
    }

    [Theory]
    [InlineData("?mrn=")]
    [InlineData("?name=")]
    [InlineData("?mrn=%00%01")]
    [InlineData("?name=%21%21%21")]
    [InlineData("?name=%F0%9F%98%80")]
    [InlineData("?mrn=a%2Fb%2F..%2Fc")]
    public async Task Search_with_odd_values_is_answered_without_a_server_error(string query)
    {
        var clinic = await fixture.CreateClinicAsync();
        using var response = await _api.GetAsync($"{clinic.Path}/patients{query}", Admin);
        Assert.Contains(response.StatusCode, new[] { HttpStatusCode.OK, HttpStatusCode.BadRequest });
        if (response.StatusCode == HttpStatusCode.OK)
        {
            Assert.Empty((await response.ExpectAsync(HttpStatusCode.OK)).GetProperty("items").EnumerateArray());
        }
    }

    [Fact]
    public async Task Search_with_a_name_longer_than_100_characters_is_400()
    {
        var clinic = await fixture.CreateClinicAsync();
        using var response = await _api.GetAsync($"{clinic.Path}/patients?name={new string('a', 101)}", Admin);
        await response.ExpectValidationAsync("name");
    }

    [Fact]
    public async Task Search_in_unknown_clinic_is_404()
    {
        using var response = await _api.GetAsync($"/api/clinics/{NewClinicId()}/patients?name=smith", Admin);
        await response.ExpectProblemAsync(HttpStatusCode.NotFound, "not-found");
    }

    [Fact]
    public async Task Patient_appointments_list_is_empty_then_lists_bookings_in_order()
    {
        var clinic = await fixture.CreateClinicAsync();
        var patient = await fixture.RegisterPatientAsync(clinic.Id);

        using var empty = await _api.GetAsync($"{clinic.Path}/patients/{patient}/appointments", Admin);
        Assert.Empty((await empty.ExpectAsync(HttpStatusCode.OK)).GetProperty("items").EnumerateArray());

        var later = await fixture.BookAsync(clinic, patient, NewYork(11, 14));
        var earlier = await fixture.BookAsync(clinic, patient, NewYork(10, 9));

        using var response = await _api.GetAsync($"{clinic.Path}/patients/{patient}/appointments", Admin);
        var items = (await response.ExpectAsync(HttpStatusCode.OK)).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal([earlier.Str("id"), later.Str("id")], items.Select(i => i.Str("id")));
        Assert.Equal("booked", items[0].Str("status"));
        Assert.Equal(NewYork(10, 9), items[0].Instant("start"));
        Assert.Equal(clinic.ProviderId, items[0].Str("providerId"));
    }

    [Fact]
    public async Task Patient_appointments_list_pages_by_cursor_without_repeating_or_skipping()
    {
        var clinic = await fixture.CreateClinicAsync();
        var patient = await fixture.RegisterPatientAsync(clinic.Id);
        var booked = new List<string>();
        foreach (var (day, hour) in new[] { (12, 9), (10, 9), (11, 14), (10, 15), (13, 10) })
        {
            booked.Add((await fixture.BookAsync(clinic, patient, NewYork(day, hour))).Str("id"));
        }

        // A visit cancelled and rebooked at the same start: two rows, one start, ordered by id.
        using (var cancel = await _api.PostAsync($"{clinic.Path}/appointments/{booked[1]}/cancel", Admin, new { }))
        {
            await cancel.ExpectAsync(HttpStatusCode.OK);
        }

        booked.Add((await fixture.BookAsync(clinic, patient, NewYork(10, 9))).Str("id"));

        var listed = new List<string>();
        var pages = 0;
        string? cursor = null;
        do
        {
            var path = $"{clinic.Path}/patients/{patient}/appointments?limit=2" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor));
            using var response = await _api.GetAsync(path, Admin);
            var page = await response.ExpectAsync(HttpStatusCode.OK);
            var items = page.GetProperty("items").EnumerateArray().ToList();
            Assert.InRange(items.Count, 1, 2);
            listed.AddRange(items.Select(i => i.Str("id")));
            cursor = page.GetProperty("nextCursor").ValueKind == JsonValueKind.Null ? null : page.Str("nextCursor");
            pages++;
        }
        while (cursor is not null && pages < 10);

        // Six rows, two a page: three pages, the last one without a cursor (no empty fourth page).
        Assert.Equal(3, pages);
        Assert.Equal(booked.Order(StringComparer.Ordinal), listed.Order(StringComparer.Ordinal));
        using var all = await _api.GetAsync($"{clinic.Path}/patients/{patient}/appointments", Admin);
        var whole = (await all.ExpectAsync(HttpStatusCode.OK)).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(whole.Select(i => i.Str("id")), listed);
        Assert.Equal(whole.Select(i => i.Instant("start")).Order(), whole.Select(i => i.Instant("start")));
    }

    [Fact]
    public async Task Patient_appointments_from_and_to_bound_the_starts_listed()
    {
        var clinic = await fixture.CreateClinicAsync();
        var patient = await fixture.RegisterPatientAsync(clinic.Id);
        await fixture.BookAsync(clinic, patient, NewYork(10, 9));
        var middle = await fixture.BookAsync(clinic, patient, NewYork(11, 9));
        await fixture.BookAsync(clinic, patient, NewYork(12, 9));

        var window = $"from={Uri.EscapeDataString(NewYork(11, 9).ToString("O"))}&to={Uri.EscapeDataString(NewYork(12, 9).ToString("O"))}";
        using var response = await _api.GetAsync($"{clinic.Path}/patients/{patient}/appointments?{window}", Admin);
        var page = await response.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal([middle.Str("id")], page.GetProperty("items").EnumerateArray().Select(i => i.Str("id")));
        Assert.Equal(JsonValueKind.Null, page.GetProperty("nextCursor").ValueKind);
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=501", "limit")]
    [InlineData("from=2030-01-02T00:00:00Z&to=2030-01-01T00:00:00Z", "to")]
    [InlineData("cursor=not-a-cursor", "cursor")]
    [InlineData("cursor=%00abc", "cursor")]
    public async Task Patient_appointments_bad_paging_is_400_naming_the_parameter(string query, string field)
    {
        var clinic = await fixture.CreateClinicAsync();
        var patient = await fixture.RegisterPatientAsync(clinic.Id);
        using var response = await _api.GetAsync($"{clinic.Path}/patients/{patient}/appointments?{query}", Admin);
        var problem = await response.ExpectProblemAsync(HttpStatusCode.BadRequest, "validation");
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"no error for '{field}'");
    }

    [Theory]
    [InlineData("limit=two")]
    [InlineData("from=yesterday")]
    public async Task Patient_appointments_paging_of_the_wrong_type_is_400(string query)
    {
        var clinic = await fixture.CreateClinicAsync();
        var patient = await fixture.RegisterPatientAsync(clinic.Id);
        using var response = await _api.GetAsync($"{clinic.Path}/patients/{patient}/appointments?{query}", Admin);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_cursor_of_another_patient_or_window_is_400()
    {
        var clinic = await fixture.CreateClinicAsync();
        var (first, second) = (await fixture.RegisterPatientAsync(clinic.Id), await fixture.RegisterPatientAsync(clinic.Id));
        await fixture.BookAsync(clinic, first, NewYork(10, 9));
        await fixture.BookAsync(clinic, first, NewYork(11, 9));
        using var page = await _api.GetAsync($"{clinic.Path}/patients/{first}/appointments?limit=1", Admin);
        var cursor = Uri.EscapeDataString((await page.ExpectAsync(HttpStatusCode.OK)).Str("nextCursor"));

        using var other = await _api.GetAsync($"{clinic.Path}/patients/{second}/appointments?cursor={cursor}", Admin);
        await other.ExpectProblemAsync(HttpStatusCode.BadRequest, "validation");
        using var window = await _api.GetAsync($"{clinic.Path}/patients/{first}/appointments?cursor={cursor}&from=2020-01-01T00:00:00Z", Admin);
        await window.ExpectProblemAsync(HttpStatusCode.BadRequest, "validation");
        using var next = await _api.GetAsync($"{clinic.Path}/patients/{first}/appointments?cursor={cursor}&limit=5", Admin);
        Assert.Single((await next.ExpectAsync(HttpStatusCode.OK)).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task Appointments_of_unknown_patient_is_404()
    {
        var clinic = await fixture.CreateClinicAsync();
        using var response = await _api.GetAsync($"{clinic.Path}/patients/pat-missing/appointments", Admin);
        await response.ExpectProblemAsync(HttpStatusCode.NotFound, "not-found");
    }
}
