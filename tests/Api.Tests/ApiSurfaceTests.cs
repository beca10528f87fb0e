using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace ClinicCluster.Api.Tests;

[Collection(ApiCollection.Name)]
public sealed class ApiSurfaceTests(ApiFixture fixture)
{
    /// <summary>The operations these tests cover; the document may list more.</summary>
    private static readonly string[] Operations =
    [
        "CreateClinic", "GetClinic", "UpdateClinic", "AddProvider", "ListProviders", "GetProvider", "UpdateProvider",
        "GetAvailability", "RegisterPatient", "SearchPatients", "GetPatient", "UpdatePatient", "ListPatientAppointments",
        "BookAppointment", "GetAppointment", "RescheduleAppointment", "CancelAppointment", "CheckInAppointment",
        "CompleteAppointment", "MarkNoShow", "ListProviderAppointments",
    ];

    private static readonly string[] HttpMethods = ["get", "put", "post", "delete", "patch"];

    private readonly ApiClient _api = fixture.Api;

    [Fact]
    public async Task OpenApi_document_is_anonymous_and_lists_every_operation_with_a_summary()
    {
        using var response = await _api.GetAsync("/openapi/v1.json", token: null);
        var document = await response.ExpectAsync(HttpStatusCode.OK);

        var operations = new Dictionary<string, JsonElement>();
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            foreach (var method in path.Value.EnumerateObject().Where(m => HttpMethods.Contains(m.Name)))
            {
                var id = method.Value.TryGetProperty("operationId", out var operationId) ? operationId.GetString() : null;
                Assert.False(string.IsNullOrEmpty(id), $"{method.Name.ToUpperInvariant()} {path.Name} has no operationId.");
                Assert.True(method.Value.TryGetProperty("summary", out var summary) && !string.IsNullOrWhiteSpace(summary.GetString()),
                    $"{id} ({method.Name.ToUpperInvariant()} {path.Name}) has no summary.");
                operations[id!] = method.Value;
            }
        }

        Assert.All(Operations, expected => Assert.True(operations.ContainsKey(expected), $"{expected} is not in the document."));
        Assert.DoesNotContain(document.GetProperty("paths").EnumerateObject(), p => p.Name.StartsWith("/health", StringComparison.Ordinal));
        Assert.True(document.GetProperty("components").GetProperty("securitySchemes").TryGetProperty("bearer", out _));
    }

    [Theory]
    [InlineData("CheckInAppointment", "check-in-not-open", "check-in-closed")]
    [InlineData("CompleteAppointment", "not-started", "invalid-transition")]
    [InlineData("MarkNoShow", "not-started", "invalid-transition")]
    [InlineData("CancelAppointment", "cancellation-cutoff", "reasonCode")]
    public async Task OpenApi_document_names_the_visit_time_problems_of_each_lifecycle_operation(string operationId, string first, string second)
    {
        using var response = await _api.GetAsync("/openapi/v1.json", token: null);
        var document = await response.ExpectAsync(HttpStatusCode.OK);

        var operation = document.GetProperty("paths").EnumerateObject()
            .SelectMany(p => p.Value.EnumerateObject().Where(m => HttpMethods.Contains(m.Name)).Select(m => m.Value))
            .Single(o => o.GetProperty("operationId").GetString() == operationId);

        var description = operation.GetProperty("description").GetString()!;
        Assert.Contains(first, description, StringComparison.Ordinal);
        Assert.Contains(second, description, StringComparison.Ordinal);
        Assert.True(operation.GetProperty("responses").TryGetProperty("409", out _), $"{operationId} does not declare 409.");
    }

    [Fact]
    public async Task OpenApi_document_describes_the_visit_time_policy_fields_and_the_cancellation_codes()
    {
        using var response = await _api.GetAsync("/openapi/v1.json", token: null);
        var document = (await response.ExpectAsync(HttpStatusCode.OK)).GetRawText();

        foreach (var field in new[] { "checkInOpensMinutes", "checkInGraceMinutes", "noShowGraceMinutes", "reasonCode", "cancellationCode" })
        {
            Assert.Contains($"\"{field}\"", document, StringComparison.Ordinal);
        }

        foreach (var code in new[] { "patient-left", "patient-request", "clinician-unavailable", "equipment-unavailable", "interpreter-unavailable", "entered-in-error", "other" })
        {
            Assert.Contains($"\"{code}\"", document, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("gzip")]
    [InlineData("br")]
    public async Task List_responses_are_compressed_when_the_client_accepts_it(string encoding)
    {
        var clinic = await fixture.CreateClinicAsync();
        await fixture.AddProviderAsync(clinic.Id, name: "Dr. Second");

        // The factory's default client does not decompress, so the encoding is visible.
        using var client = fixture.Factory.CreateDefaultClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{clinic.Path}/providers");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ApiFixture.AdminToken);
        request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue(encoding));
        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([encoding], response.Content.Headers.ContentEncoding);
        Assert.Contains(response.Headers.Vary, v => v.Equals("Accept-Encoding", StringComparison.OrdinalIgnoreCase));

        await using var compressed = await response.Content.ReadAsStreamAsync();
        await using Stream decompressed = encoding == "gzip"
            ? new GZipStream(compressed, CompressionMode.Decompress)
            : new BrotliStream(compressed, CompressionMode.Decompress);
        using var json = await JsonDocument.ParseAsync(decompressed);
        Assert.Equal(2, json.RootElement.GetArrayLength());
    }

    [Fact]
    public async Task Responses_are_not_compressed_when_the_client_does_not_ask()
    {
        var clinic = await fixture.CreateClinicAsync();
        using var response = await _api.GetAsync($"{clinic.Path}/providers", ApiFixture.AdminToken);
        await response.ExpectAsync(HttpStatusCode.OK);
        Assert.Empty(response.Content.Headers.ContentEncoding);
    }

    [Theory]
    [InlineData("/health/ready")]
    [InlineData("/health/live")]
    [InlineData("/health/startup")]
    public async Task Health_probes_answer_200_without_a_token(string path)
    {
        using var response = await _api.GetAsync(path, token: null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Unknown_routes_are_404_problems()
    {
        using var response = await _api.GetAsync("/api/nothing-here", ApiFixture.AdminToken);
        await response.ExpectProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Problems_carry_a_type_title_and_trace_id()
    {
        using var response = await _api.GetAsync($"/api/clinics/{TestData.NewClinicId()}", ApiFixture.AdminToken);
        var problem = await response.ExpectProblemAsync(HttpStatusCode.NotFound, "not-found");
        Assert.Equal("https://clinic-cluster.dev/problems/not-found", problem.Str("type"));
        Assert.False(string.IsNullOrEmpty(problem.Str("title")));
        Assert.False(string.IsNullOrEmpty(problem.Str("traceId")));
    }
}
