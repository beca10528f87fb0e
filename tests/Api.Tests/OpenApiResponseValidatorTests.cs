using System.Text.Json;

namespace ClinicCluster.Api.Tests;

/// <summary>The validating proxy's validator reports what it should (so the conformance tests can fail).</summary>
public sealed class OpenApiResponseValidatorTests
{
    // A small document in the generator's shapes: 3.1 type arrays, 3.0 nullable, $ref, problem+json.
    private const string Document = """
        {
          "openapi": "3.1.1",
          "paths": {
            "/api/clinics/{clinicId}/appointments/{appointmentId}": {
              "get": {
                "operationId": "GetAppointment",
                "responses": {
                  "200": { "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Appointment" } } } },
                  "404": { "content": { "application/problem+json": { "schema": { "$ref": "#/components/schemas/ProblemDetails" } } } }
                }
              }
            },
            "/api/clinics/{clinicId}/appointments/special": {
              "get": { "operationId": "Special", "responses": { "204": { "description": "none" } } }
            }
          },
          "components": {
            "schemas": {
              "Appointment": {
                "type": "object",
                "required": ["id", "status", "start"],
                "properties": {
                  "id": { "type": "string" },
                  "status": { "enum": ["booked", "cancelled"] },
                  "start": { "type": "string", "format": "date-time" },
                  "reason": { "type": ["null", "string"] },
                  "note": { "type": "string", "nullable": true },
                  "version": { "type": ["integer", "string"], "pattern": "^-?(?:0|[1-9]\\d*)$" },
                  "tags": { "type": "array", "items": { "type": "string" } },
                  "patient": { "oneOf": [{ "type": "null" }, { "$ref": "#/components/schemas/PatientRef" }] }
                },
                "additionalProperties": false
              },
              "PatientRef": { "type": "object", "required": ["id"], "properties": { "id": { "type": "string" } } },
              "ProblemDetails": {
                "type": "object",
                "properties": { "status": { "type": ["null", "integer", "string"] }, "title": { "type": ["null", "string"] } }
              }
            }
          }
        }
        """;

    private const string Path = "/api/clinics/c-1/appointments/apt-1";

    private static readonly string Valid = """
        {"id":"apt-1","status":"booked","start":"2026-03-09T10:00:00-04:00","reason":null,"note":null,"version":3,
         "tags":["a"],"patient":{"id":"pat-1"}}
        """;

    private static OpenApiResponseValidator Validator()
    {
        using var document = JsonDocument.Parse(Document);
        return new OpenApiResponseValidator(document.RootElement);
    }

    [Fact]
    public void A_conforming_response_has_no_mismatch()
    {
        Assert.Empty(Validator().Validate(HttpMethod.Get, Path, 200, "application/json", Valid));
        Assert.Empty(Validator().Validate(HttpMethod.Get, Path, 404, "application/problem+json", """{"status":404,"title":"Not found","code":"x"}"""));
        Assert.Empty(Validator().Validate(HttpMethod.Get, "/api/clinics/c-1/appointments/special", 204, null, null));
    }

    [Fact]
    public void An_undeclared_status_is_reported_with_the_operation()
    {
        var mismatch = Assert.Single(Validator().Validate(HttpMethod.Get, Path, 409, "application/problem+json", """{"status":409}"""));
        Assert.Equal("GET /api/clinics/{clinicId}/appointments/{appointmentId} (GetAppointment)", mismatch.Operation);
        Assert.Equal(409, mismatch.Status);
        Assert.Contains("not declared", mismatch.Message, StringComparison.Ordinal);

        // The literal template wins over the parameter, and its operation does not declare 200.
        Assert.Contains("(Special)", Assert.Single(Validator().Validate(HttpMethod.Get, "/api/clinics/c-1/appointments/special", 200, null, null)).Operation, StringComparison.Ordinal);
        Assert.Single(Validator().Validate(HttpMethod.Delete, Path, 200, null, null));
    }

    [Fact]
    public void A_missing_required_property_and_wrong_types_are_reported_with_their_json_paths()
    {
        const string body = """
            {"status":"lost","start":"yesterday","reason":7,"note":false,"version":"3.5","tags":[1],"patient":{},"extra":true}
            """;
        var mismatches = Validator().Validate(HttpMethod.Get, Path, 200, "application/json", body);
        var byPath = mismatches.Select(m => $"{m.JsonPath}: {m.Message}").ToArray();
        Assert.Contains(byPath, m => m.StartsWith("$: required property 'id' is missing", StringComparison.Ordinal));
        Assert.Contains(byPath, m => m.StartsWith("$.status: ", StringComparison.Ordinal));
        Assert.Contains(byPath, m => m.StartsWith("$.start: 'yesterday' is not a date-time", StringComparison.Ordinal));
        Assert.Contains(byPath, m => m.StartsWith("$.reason: expected type", StringComparison.Ordinal));
        Assert.Contains(byPath, m => m.StartsWith("$.note: expected type", StringComparison.Ordinal));
        Assert.Contains(byPath, m => m.StartsWith("$.version: ", StringComparison.Ordinal));
        Assert.Contains(byPath, m => m.StartsWith("$.tags[0]: expected type", StringComparison.Ordinal));
        Assert.Contains(byPath, m => m.StartsWith("$.patient: ", StringComparison.Ordinal));
        Assert.Contains(byPath, m => m.StartsWith("$.extra: ", StringComparison.Ordinal));
        Assert.Equal(9, mismatches.Count);
        Assert.All(mismatches, m => Assert.Equal((200, "GET /api/clinics/{clinicId}/appointments/{appointmentId} (GetAppointment)"), (m.Status, m.Operation)));
    }

    [Fact]
    public void A_json_body_where_the_document_declares_none_or_another_type_is_reported()
    {
        var special = Assert.Single(Validator().Validate(HttpMethod.Get, "/api/clinics/c-1/appointments/special", 204, "application/json", "{}"));
        Assert.Contains("not declared", special.Message, StringComparison.Ordinal);
        var problem = Assert.Single(Validator().Validate(HttpMethod.Get, Path, 404, "application/problem+json", "[]"));
        Assert.Equal("$", problem.JsonPath);
    }

    [Fact]
    public async Task The_proxy_fetches_the_document_keeps_each_mismatch_and_passes_the_response_on()
    {
        using var proxy = new ValidatingProxyHandler { InnerHandler = new StubApi() };
        using var client = new HttpClient(proxy) { BaseAddress = new Uri("http://api.test") };

        using var good = await client.GetAsync(new Uri(Path, UriKind.Relative));
        Assert.Equal(Valid, await good.Content.ReadAsStringAsync());
        Assert.Empty(proxy.Mismatches);

        using var teapot = await client.GetAsync(new Uri(Path + "?teapot=1", UriKind.Relative));
        Assert.Equal(418, (int)teapot.StatusCode);
        var mismatch = Assert.Single(proxy.Mismatches);
        Assert.Equal((418, "$"), (mismatch.Status, mismatch.JsonPath));
        Assert.Equal(2, proxy.Checked);
    }

    /// <summary>Serves <see cref="Document"/> and a valid appointment, or a 418 when asked.</summary>
    private sealed class StubApi : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var uri = request.RequestUri!;
            var (status, body) = uri.AbsolutePath == ValidatingProxyHandler.DocumentPath ? (200, Document)
                : uri.Query.Contains("teapot", StringComparison.Ordinal) ? (418, """{"status":418}""")
                : (200, Valid);
            return Task.FromResult(new HttpResponseMessage((System.Net.HttpStatusCode)status)
            {
                RequestMessage = request,
                Content = new StringContent(body, System.Text.Encoding.UTF8, status == 418 ? "application/problem+json" : "application/json"),
            });
        }
    }
}
