using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace ClinicCluster.Testing;

/// <summary>
/// The one HTTP client helper of the suites: a bearer token per request (or the client's default
/// header), an idempotency key, JSON bodies in the API's web conventions. With
/// <paramref name="failOnServerError"/> (the default) every response is checked for a 5xx status
/// on arrival: no request a client can send may make the API fail. Load and outage scenarios,
/// where a 503 is an outcome to count, turn the check off.
/// </summary>
public sealed class ApiClient(HttpClient http, bool failOnServerError = true)
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
        Action<HttpRequestMessage>? configure = null,
        CancellationToken cancellationToken = default)
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
        var response = await Http.SendAsync(request, cancellationToken);
        if (failOnServerError && (int)response.StatusCode >= 500)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            Assert.Fail($"{method} {path} answered {(int)response.StatusCode}: {body}");
        }

        return response;
    }

    public static StringContent JsonBody(object body) =>
        new(JsonSerializer.Serialize(body, Json), Encoding.UTF8, "application/json");
}
