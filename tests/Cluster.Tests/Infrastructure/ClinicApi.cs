using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ClinicCluster.Cluster.Tests.Infrastructure;

/// <summary>One HTTP answer: status, raw body and the body as JSON when it is JSON.</summary>
public sealed record ApiResponse(int Status, string Body)
{
    public JsonNode? Json
    {
        get
        {
            try
            {
                return Body.Length == 0 ? null : JsonNode.Parse(Body);
            }
            catch (JsonException)
            {
                return null;
            }
        }
    }

    public string? Field(string name) => Json?[name]?.GetValue<string>();

    /// <summary>The body, shortened for messages (problem details never carry PHI here).</summary>
    public string Short => Body.Length <= 300 ? Body : Body[..300] + "...";
}

/// <summary>
/// A client of the API process over real HTTP on 127.0.0.1. The load generators use
/// <see cref="SendAsync"/> and record every outcome themselves; the setup helpers retry a
/// 503 a few times (the cluster may still be settling) and fail on anything else unexpected.
/// </summary>
public sealed class ClinicApi : IDisposable
{
    public static readonly JsonSerializerOptions Json = ApiClient.Json;

    /// <summary>Without the 5xx check: a 503 during failover is an outcome the load runs count.</summary>
    private readonly ApiClient _api;

    public ClinicApi(int port, string token, int maxConnections = 64)
    {
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = maxConnections,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectTimeout = TimeSpan.FromSeconds(5),
        };
        var http = new HttpClient(handler)
        {
            BaseAddress = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}"),
            Timeout = TimeSpan.FromSeconds(45),
        };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        _api = new ApiClient(http, failOnServerError: false);
    }

    public async Task<ApiResponse> SendAsync(HttpMethod method, string path, object? body = null, string? idempotencyKey = null,
        CancellationToken cancellationToken = default)
    {
        using var response = await _api.SendAsync(method, path, token: null, body is null ? null : ApiClient.JsonBody(body), idempotencyKey,
            cancellationToken: cancellationToken);
        return new ApiResponse((int)response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
    }

    public Task<ApiResponse> GetAsync(string path, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, path, cancellationToken: cancellationToken);

    public Task<ApiResponse> GetAppointmentAsync(string clinicId, string appointmentId, CancellationToken cancellationToken = default) =>
        GetAsync($"/api/clinics/{clinicId}/appointments/{appointmentId}", cancellationToken);

    public Task<ApiResponse> BookAsync(string clinicId, BookingRequest booking, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, $"/api/clinics/{clinicId}/appointments", booking.Body, booking.IdempotencyKey, cancellationToken);

    public async Task CreateClinicAsync(string clinicId, string timeZone, IReadOnlyList<object> appointmentTypes, object policy)
    {
        var body = new { id = clinicId, name = "Cluster test clinic " + clinicId, timeZone, appointmentTypes, policy };
        await SetupAsync(() => SendAsync(HttpMethod.Post, "/api/clinics", body), "create clinic",
            landed: () => GetAsync($"/api/clinics/{clinicId}"));
    }

    public async Task<string> AddProviderAsync(string clinicId, string name, TimeOnly start, TimeOnly end)
    {
        var workingHours = Enum.GetValues<DayOfWeek>()
            .Select(day => new
            {
                day = day.ToString().ToLowerInvariant(),
                start = start.ToString("HH:mm:ss", CultureInfo.InvariantCulture),
                end = end.ToString("HH:mm:ss", CultureInfo.InvariantCulture),
            })
            .ToArray();
        var body = new { name, specialty = "family medicine", workingHours, timeOff = Array.Empty<object>() };
        var response = await SetupAsync(() => SendAsync(HttpMethod.Post, $"/api/clinics/{clinicId}/providers", body), "add provider");
        return response.Field("id") ?? throw new InvalidOperationException("The created provider has no id: " + response.Short);
    }

    public async Task<string> RegisterPatientAsync(string clinicId, string mrn)
    {
        var body = new { mrn, givenName = "Test", familyName = "Patient" + mrn, birthDate = "1980-01-01", sex = "other" };
        var response = await SetupAsync(() => SendAsync(HttpMethod.Post, $"/api/clinics/{clinicId}/patients", body), "register patient",
            landed: async () =>
            {
                var search = await GetAsync($"/api/clinics/{clinicId}/patients?mrn={Uri.EscapeDataString(mrn)}");
                return search.Json?["items"]?[0] is { } hit ? search with { Body = hit.ToJsonString() } : search with { Status = 404 };
            });
        return response.Field("id") ?? throw new InvalidOperationException("The registered patient has no id: " + response.Short);
    }

    public void Dispose() => _api.Http.Dispose();

    /// <summary>
    /// Expects 201; retries a 503 (the cluster settling) a bounded number of times. A 503 is
    /// ambiguous for a create (the API's response timeout may have fired after the grain had done
    /// the work), so when a retry answers 409, <paramref name="landed"/> looks up what the earlier
    /// attempt made, as a careful client would, instead of failing on our own first attempt.
    /// </summary>
    private static async Task<ApiResponse> SetupAsync(Func<Task<ApiResponse>> send, string what, Func<Task<ApiResponse>>? landed = null)
    {
        for (var attempt = 1; ; attempt++)
        {
            var response = await send();
            if (response.Status == 201)
            {
                return response;
            }

            if (response.Status == 409 && attempt > 1 && landed is not null && await landed() is { Status: 200 } earlier)
            {
                return earlier;
            }

            if (response.Status != 503 || attempt >= 10)
            {
                throw new InvalidOperationException($"{what}: expected 201, got {response.Status}: {response.Short}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500 * attempt));
        }
    }
}

/// <summary>A booking with its idempotency key: sending it again is safe and answers the original outcome.</summary>
public sealed record BookingRequest(string IdempotencyKey, string PatientId, string ProviderId, string AppointmentType, DateTimeOffset Start)
{
    public object Body => new
    {
        patientId = PatientId,
        providerId = ProviderId,
        appointmentType = AppointmentType,
        start = Start.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture),
        reason = "cluster test",
    };
}
