using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ClinicCluster.LoadGen;

/// <summary>The API over HTTP/1.1 with one admin token; setup calls retry a settling cluster's 503.</summary>
public sealed class ClinicClient : IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly HttpClient _http;

    /// <summary>Sees every answer of <see cref="SendAsync"/> (the load, not the setup); the drills count with it.</summary>
    public Action<HttpRequestMessage, HttpResponseMessage>? Observe { get; set; }

    public ClinicClient(Uri baseAddress, string token, int connections, TimeSpan timeout)
    {
        _http = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = connections,
            PooledConnectionLifetime = TimeSpan.FromMinutes(10),
            ConnectTimeout = TimeSpan.FromSeconds(5),
        })
        {
            BaseAddress = baseAddress,
            Timeout = timeout,
        };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
    }

    /// <summary>Sends and answers the status; the body is read and dropped, as a client would consume it.</summary>
    public async Task<int> SendAsync(HttpMethod method, string path, object? body = null, string? idempotencyKey = null, CancellationToken cancellationToken = default, string? accept = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (accept is not null)
        {
            request.Headers.Accept.ParseAdd(accept);
        }

        if (body is not null)
        {
            request.Content = JsonContent.Create(body, options: Json);
        }

        if (idempotencyKey is not null)
        {
            request.Headers.TryAddWithoutValidation("Idempotency-Key", idempotencyKey);
        }

        using var response = await _http.SendAsync(request, cancellationToken);
        Observe?.Invoke(request, response);
        await response.Content.CopyToAsync(Stream.Null, cancellationToken);
        return (int)response.StatusCode;
    }

    /// <summary>Posts a JSON body and answers the status and the parsed answer (a hold's id).</summary>
    public async Task<(int Status, JsonNode? Body)> PostJsonAsync(string path, object body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body, options: Json) };
        using var response = await _http.SendAsync(request, cancellationToken);
        Observe?.Invoke(request, response);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        return ((int)response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    /// <summary>Posts an NDJSON body (the patient import) and answers the status and the parsed answer.</summary>
    public async Task<(int Status, JsonNode? Body)> PostNdjsonAsync(string path, string ndjson, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(ndjson, System.Text.Encoding.UTF8, "application/x-ndjson") };
        using var response = await _http.SendAsync(request, cancellationToken);
        Observe?.Invoke(request, response);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        return ((int)response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    /// <summary>
    /// As below with one body; with <paramref name="conflictAfter503IsCreated"/> a 409 after a 503
    /// counts as created (an object whose id the client chose, the 503 attempt made it).
    /// </summary>
    public Task<JsonNode?> CreateAsync(string path, object body, bool conflictAfter503IsCreated = false) =>
        CreateAsync(path, _ => body, conflictAfter503IsCreated);

    /// <summary>
    /// Creates with up to 10 attempts while the API answers 503. A 503 may still have created the
    /// object (the API does not retry creating requests), so a body with a unique field (an MRN)
    /// is made per attempt: a retry must not collide with what the answered-503 attempt created.
    /// </summary>
    public async Task<JsonNode?> CreateAsync(string path, Func<int, object> bodyForAttempt, bool conflictAfter503IsCreated = false)
    {
        for (var attempt = 1; ; attempt++)
        {
            using var response = await _http.PostAsJsonAsync(path, bodyForAttempt(attempt), Json);
            var text = await response.Content.ReadAsStringAsync();
            if ((int)response.StatusCode == 201)
            {
                return text.Length == 0 ? null : JsonNode.Parse(text);
            }

            if ((int)response.StatusCode == 409 && attempt > 1 && conflictAfter503IsCreated)
            {
                return null;
            }

            if ((int)response.StatusCode != 503 || attempt >= 10)
            {
                throw new InvalidOperationException($"POST {path}: {(int)response.StatusCode} {text[..Math.Min(300, text.Length)]}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(300 * attempt));
        }
    }

    public void Dispose() => _http.Dispose();

    public static string Time(DateTimeOffset start) => start.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
}
