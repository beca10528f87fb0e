using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;

namespace ClinicCluster.Security.Tests;

/// <summary>Rate limits, body and header limits, security headers, caching, CORS and HTTPS redirection, over real sockets.</summary>
[Collection(SecurityCollection.Name)]
public sealed class EdgeLimitsTests(SecurityFixture fixture)
{
    [Fact]
    public async Task Anonymous_callers_get_429_with_retry_after_sooner_than_authenticated_ones()
    {
        await using var api = await StartApiAsync(new()
        {
            ["RateLimits:AnonymousPerAddressPermits"] = "3",
            ["RateLimits:PerCallerPermits"] = "6",
            ["RateLimits:PerAddressPermits"] = "1000",
        });
        var clinic = "/api/clinics/" + "rl-" + Guid.NewGuid().ToString("N")[..8];

        var anonymous = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            using var response = await api.Http.GetAsync(clinic);
            anonymous.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                await ExpectRateLimitedAsync(response);
            }
        }

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], anonymous);

        var token = SecurityFixture.Token("admin", "*");
        var authenticated = new List<HttpStatusCode>();
        for (var i = 0; i < 7; i++)
        {
            using var response = await SendAsync(api.Http, HttpMethod.Get, clinic, token);
            authenticated.Add(response.StatusCode);
        }

        Assert.Equal(Enumerable.Repeat(HttpStatusCode.NotFound, 6).Append(HttpStatusCode.TooManyRequests), authenticated);

        // Probes are never limited.
        using var probe = await api.Http.GetAsync("/health/live");
        Assert.Equal(HttpStatusCode.OK, probe.StatusCode);
    }

    [Fact]
    public async Task A_429_to_a_request_with_a_body_leaves_the_connection_usable_or_closes_it_explicitly()
    {
        await using var api = await StartApiAsync(new() { ["RateLimits:AnonymousPerAddressPermits"] = "1" });
        var path = "/api/clinics/" + "rl-" + Guid.NewGuid().ToString("N")[..8] + "/patients";
        var statuses = new List<int>();
        foreach (var (body, chunked) in new[] { ("{}", false), (new string('x', 70 * 1024), true), ("{}", false) })
        {
            var (first, failure) = await ConnectionReuseTests.ExchangeThenProbeAsync(api.Http.BaseAddress!,
                ConnectionReuseTests.Request("POST", path, token: null, body, chunked));
            Assert.Null(failure);
            statuses.Add(first!.Status);
        }

        Assert.Equal([401, 429, 429], statuses);
    }

    [Fact]
    public async Task One_address_is_limited_across_callers()
    {
        await using var api = await StartApiAsync(new()
        {
            ["RateLimits:PerCallerPermits"] = "100",
            ["RateLimits:PerAddressPermits"] = "4",
        });
        var clinic = "/api/clinics/" + "rl-" + Guid.NewGuid().ToString("N")[..8];
        var statuses = new List<HttpStatusCode>();
        foreach (var subject in new[] { "a", "b", "c", "d", "e" })
        {
            using var response = await SendAsync(api.Http, HttpMethod.Get, clinic, SecurityFixture.Token(subject == "a" ? "admin" : "frontdesk", "*"));
            statuses.Add(response.StatusCode);
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);
        Assert.DoesNotContain(HttpStatusCode.TooManyRequests, statuses[..4]);
    }

    [Fact]
    public async Task Behind_a_known_proxy_each_forwarded_client_has_its_own_limit_and_others_cannot_claim_one()
    {
        await using var api = await StartApiAsync(new()
        {
            ["RateLimits:AnonymousPerAddressPermits"] = "2",
            ["Proxy:KnownNetworks:0"] = "127.0.0.0/8",
        });
        var clinic = "/api/clinics/" + "rl-" + Guid.NewGuid().ToString("N")[..8];
        async Task<HttpStatusCode> FromAsync(string client)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, clinic);
            request.Headers.TryAddWithoutValidation("X-Forwarded-For", client);
            using var response = await api.Http.SendAsync(request);
            return response.StatusCode;
        }

        Assert.Equal(HttpStatusCode.Unauthorized, await FromAsync("203.0.113.1"));
        Assert.Equal(HttpStatusCode.Unauthorized, await FromAsync("203.0.113.1"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await FromAsync("203.0.113.1"));
        Assert.Equal(HttpStatusCode.Unauthorized, await FromAsync("203.0.113.2"));
    }

    [Fact]
    public async Task Without_a_known_proxy_a_forwarded_address_cannot_escape_the_limit()
    {
        await using var api = await StartApiAsync(new() { ["RateLimits:AnonymousPerAddressPermits"] = "2" });
        var clinic = "/api/clinics/" + "rl-" + Guid.NewGuid().ToString("N")[..8];
        var statuses = new List<HttpStatusCode>();
        foreach (var client in new[] { "203.0.113.1", "203.0.113.2", "203.0.113.3" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, clinic);
            request.Headers.TryAddWithoutValidation("X-Forwarded-For", client);
            using var response = await api.Http.SendAsync(request);
            statuses.Add(response.StatusCode);
        }

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests], statuses);
    }

    [Fact]
    public async Task Bodies_beyond_the_route_limit_are_413_problems()
    {
        var clinic = await Seeding.CreateVictimAsync(fixture.Http, "body");
        var padding = new string('x', 70 * 1024);
        using var patient = await SendAsync(fixture.Http, HttpMethod.Post, $"/api/clinics/{clinic.ClinicId}/patients", SecurityFixture.AdminToken,
            $"{{\"mrn\":\"M-1\",\"givenName\":\"{padding}\",\"familyName\":\"F\",\"birthDate\":\"1980-01-01\",\"sex\":\"male\"}}");
        var problem = await ExpectProblemAsync(patient, HttpStatusCode.RequestEntityTooLarge);
        Assert.True(problem.TryGetProperty("code", out var code) && code.GetString() == "body-too-large", problem.ToString());

        // Provider profiles carry lists, so their route accepts more; the same size is only a validation error there.
        using var provider = await SendAsync(fixture.Http, HttpMethod.Post, $"/api/clinics/{clinic.ClinicId}/providers", SecurityFixture.AdminToken,
            $"{{\"name\":\"{padding}\",\"specialty\":\"s\",\"workingHours\":[],\"timeOff\":[]}}");
        await ExpectProblemAsync(provider, HttpStatusCode.BadRequest);

        using var huge = await SendAsync(fixture.Http, HttpMethod.Post, $"/api/clinics/{clinic.ClinicId}/providers", SecurityFixture.AdminToken,
            $"{{\"name\":\"{new string('x', 300 * 1024)}\",\"specialty\":\"s\",\"workingHours\":[],\"timeOff\":[]}}");
        await ExpectProblemAsync(huge, HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task Too_many_or_too_large_headers_are_431_problems()
    {
        using var many = new HttpRequestMessage(HttpMethod.Get, "/api/clinics/x");
        for (var i = 0; i < 80; i++)
        {
            many.Headers.TryAddWithoutValidation("X-Filler-" + i.ToString(CultureInfo.InvariantCulture), "v");
        }

        using var manyResponse = await fixture.Http.SendAsync(many);
        await ExpectProblemAsync(manyResponse, HttpStatusCode.RequestHeaderFieldsTooLarge);

        using var large = new HttpRequestMessage(HttpMethod.Get, "/api/clinics/x");
        large.Headers.TryAddWithoutValidation("X-Filler", new string('h', 20 * 1024));
        using var largeResponse = await fixture.Http.SendAsync(large);
        await ExpectProblemAsync(largeResponse, HttpStatusCode.RequestHeaderFieldsTooLarge);
    }

    [Fact]
    public async Task Every_response_has_security_headers_and_phi_is_never_cached()
    {
        var victim = await Seeding.CreateVictimAsync(fixture.Http, "headers");
        using var patient = await SendAsync(fixture.Http, HttpMethod.Get, $"/api/clinics/{victim.ClinicId}/patients/{victim.PatientId}", SecurityFixture.AdminToken);
        using var denied = await fixture.Http.GetAsync($"/api/clinics/{victim.ClinicId}/patients/{victim.PatientId}");
        using var missing = await SendAsync(fixture.Http, HttpMethod.Get, $"/api/clinics/{victim.ClinicId}/patients/pat-missing", SecurityFixture.AdminToken);
        Assert.Equal(HttpStatusCode.OK, patient.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, denied.StatusCode);
        foreach (var response in new[] { patient, denied, missing })
        {
            Assert.Contains("no-store", response.Headers.CacheControl?.ToString(), StringComparison.Ordinal);
            Assert.Equal("nosniff", Single(response, "X-Content-Type-Options"));
            Assert.Equal("DENY", Single(response, "X-Frame-Options"));
            Assert.Equal("no-referrer", Single(response, "Referrer-Policy"));
            Assert.Contains("default-src 'none'", Single(response, "Content-Security-Policy"), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task No_cross_origin_access_unless_origins_are_configured()
    {
        var victim = await Seeding.CreateVictimAsync(fixture.Http, "cors");
        var path = $"/api/clinics/{victim.ClinicId}";
        using var closed = await PreflightAsync(fixture.Http, path, "https://app.example.org");
        Assert.False(closed.Headers.Contains("Access-Control-Allow-Origin"));

        await using var api = await StartApiAsync(new() { ["Cors:AllowedOrigins:0"] = "https://app.example.org" });
        using var allowed = await PreflightAsync(api.Http, path, "https://app.example.org");
        Assert.Equal("https://app.example.org", Single(allowed, "Access-Control-Allow-Origin"));
        using var other = await PreflightAsync(api.Http, path, "https://evil.example.org");
        Assert.False(other.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task Outside_development_http_is_redirected_to_https()
    {
        await using var api = await StartApiAsync(
            new()
            {
                // Production validates tokens from an authority; its metadata is fetched only when a token arrives.
                ["Auth:Authority"] = "https://127.0.0.1:1/",
                ["https_port"] = "8443",
            },
            environment: "Production");
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = api.Http.BaseAddress };
        using var response = await client.GetAsync("/api/clinics/x");
        Assert.Equal(HttpStatusCode.TemporaryRedirect, response.StatusCode);
        Assert.Equal("https", response.Headers.Location?.Scheme);
        Assert.Equal(8443, response.Headers.Location?.Port);
    }

    private static async Task<HttpResponseMessage> PreflightAsync(HttpClient http, string path, string origin)
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, path);
        request.Headers.TryAddWithoutValidation("Origin", origin);
        request.Headers.TryAddWithoutValidation("Access-Control-Request-Method", "GET");
        request.Headers.TryAddWithoutValidation("Access-Control-Request-Headers", "authorization");
        return await http.SendAsync(request);
    }

    private static string Single(HttpResponseMessage response, string header) =>
        response.Headers.TryGetValues(header, out var values) ? string.Join(",", values) : "";

    private static async Task ExpectRateLimitedAsync(HttpResponseMessage response)
    {
        var problem = await ExpectProblemAsync(response, HttpStatusCode.TooManyRequests);
        Assert.Equal("rate-limited", problem.GetProperty("code").GetString());
        Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero);
    }

    private static async Task<JsonElement> ExpectProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"Expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    internal static async Task<HttpResponseMessage> SendAsync(HttpClient http, HttpMethod method, string path, string? token, string? json = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return await http.SendAsync(request);
    }

    private Task<ExtraApi> StartApiAsync(Dictionary<string, string?> settings, string environment = "Development") =>
        StartApiAsync(fixture, settings, environment);

    /// <summary>Another API host on the suite's database and silo, with its own settings, ready to serve.</summary>
    internal static async Task<ExtraApi> StartApiAsync(SecurityFixture fixture, Dictionary<string, string?> settings, string environment = "Development")
    {
        var port = Ports.Free();
        var factory = new ConfiguredApiFactory(fixture.Database.App, fixture.Database.CaFile, fixture.Certificates.Api, settings, environment);
        factory.UseKestrel(port);
        factory.StartServer();
        var api = new ExtraApi(factory, new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") });
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            using var ready = await api.Http.GetAsync("/health/ready");
            if (ready.StatusCode == HttpStatusCode.OK || DateTime.UtcNow > deadline)
            {
                return api;
            }

            await Task.Delay(200);
        }
    }

    private sealed class ConfiguredApiFactory(string connectionString, string caFile, Pem certificate, Dictionary<string, string?> settings, string environment)
        : SecurityFixture.ApiFactory(connectionString, caFile, certificate)
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseEnvironment(environment);
            if (environment != "Development")
            {
                // Outside Development the development key is refused; production validates tokens from an authority.
                builder.UseSetting("Auth:DevSigningKey", "");
            }

            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }
        }
    }

    internal sealed record ExtraApi(SecurityFixture.ApiFactory Factory, HttpClient Http) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            Http.Dispose();
            await Factory.DisposeAsync();
        }
    }
}
