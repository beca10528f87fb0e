using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace ClinicCluster.Api.Tests;

/// <summary>
/// Thin HTTP helpers over the test server. Every response is checked for a 5xx status on arrival:
/// no request a client can send may make the API fail.
/// </summary>
public sealed class ApiClient(HttpClient http)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public HttpClient Http { get; } = http;

    public Task<HttpResponseMessage> GetAsync(string path, string? token) => SendAsync(HttpMethod.Get, path, token);

    public Task<HttpResponseMessage> PostAsync(string path, string? token, object? body, string? idempotencyKey = null) =>
        SendAsync(HttpMethod.Post, path, token, body is null ? null : JsonBody(body), idempotencyKey);

    public Task<HttpResponseMessage> PutAsync(string path, string? token, object body) =>
        SendAsync(HttpMethod.Put, path, token, JsonBody(body));

    /// <summary>Sends <paramref name="json"/> verbatim as an application/json body.</summary>
    public Task<HttpResponseMessage> SendRawAsync(HttpMethod method, string path, string? token, string json, string? idempotencyKey = null) =>
        SendAsync(method, path, token, new StringContent(json, Encoding.UTF8, "application/json"), idempotencyKey);

    public async Task<HttpResponseMessage> SendAsync(
        HttpMethod method,
        string path,
        string? token,
        HttpContent? content = null,
        string? idempotencyKey = null,
        Action<HttpRequestMessage>? configure = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative)) { Content = content };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (idempotencyKey is not null)
        {
            request.Headers.TryAddWithoutValidation("Idempotency-Key", idempotencyKey);
        }

        configure?.Invoke(request);
        var response = await Http.SendAsync(request);
        if ((int)response.StatusCode >= 500)
        {
            var body = await response.Content.ReadAsStringAsync();
            Assert.Fail($"{method} {path} answered {(int)response.StatusCode}: {body}");
        }

        return response;
    }

    public static StringContent JsonBody(object body) =>
        new(JsonSerializer.Serialize(body, Json), Encoding.UTF8, "application/json");
}

/// <summary>Assertions on responses.</summary>
public static class Responses
{
    /// <summary>Asserts the status (showing the body when it differs) and returns the JSON body.</summary>
    public static async Task<JsonElement> ExpectAsync(this HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status,
            $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: expected {(int)status}, got {(int)response.StatusCode}: {body}");
        return body.Length == 0 ? default : JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>Asserts an RFC 7807 problem with this status and, when given, this "code" extension.</summary>
    public static async Task<JsonElement> ExpectProblemAsync(this HttpResponseMessage response, HttpStatusCode status, string? code = null)
    {
        var json = await response.ExpectAsync(status);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal((int)status, json.GetProperty("status").GetInt32());
        if (code is not null)
        {
            Assert.True(json.TryGetProperty("code", out var actual), $"No 'code' in {json}");
            Assert.Equal(code, actual.GetString());
        }

        return json;
    }

    /// <summary>Asserts a 400 validation problem whose "errors" name <paramref name="field"/>.</summary>
    public static async Task<JsonElement> ExpectValidationAsync(this HttpResponseMessage response, string field)
    {
        var json = await response.ExpectProblemAsync(HttpStatusCode.BadRequest, "validation");
        Assert.True(json.TryGetProperty("errors", out var errors), $"No 'errors' in {json}");
        Assert.True(errors.TryGetProperty(field, out var messages), $"No error for '{field}' in {errors}");
        Assert.NotEqual(0, messages.GetArrayLength());
        return json;
    }

    public static string Str(this JsonElement json, string property) =>
        json.GetProperty(property).GetString() ?? throw new InvalidOperationException($"'{property}' is null in {json}.");

    public static DateTimeOffset Instant(this JsonElement json, string property) =>
        DateTimeOffset.Parse(json.Str(property), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The body without its per-request trace id, to compare two problem responses.</summary>
    public static string WithoutTraceId(JsonElement json)
    {
        var copy = new Dictionary<string, JsonElement>();
        foreach (var property in json.EnumerateObject())
        {
            if (property.Name != "traceId")
            {
                copy[property.Name] = property.Value;
            }
        }

        return JsonSerializer.Serialize(copy.OrderBy(p => p.Key, StringComparer.Ordinal).ToDictionary(p => p.Key, p => p.Value));
    }
}
