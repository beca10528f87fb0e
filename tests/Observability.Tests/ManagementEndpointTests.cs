using System.Net;
using System.Net.Http.Headers;
using ClinicCluster.Observability.Tests.Infrastructure;

namespace ClinicCluster.Observability.Tests;

[Collection(ObservabilityCollection.Name)]
public sealed class ManagementEndpointTests(ObservabilityFixture fixture) : IDisposable
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };

    public void Dispose() => _http.Dispose();

    [Theory]
    [InlineData("silo")]
    [InlineData("api")]
    public async Task Metrics_need_the_bearer_token(string host)
    {
        var metrics = new Uri(Management(host), "/metrics");

        using (var anonymous = await _http.GetAsync(metrics))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }

        using (var wrong = await GetAsync(metrics, "Bearer", "not-the-token"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        using var scraped = await GetAsync(metrics, "Bearer", fixture.MetricsToken);
        Assert.Equal(HttpStatusCode.OK, scraped.StatusCode);
        var body = await scraped.Content.ReadAsStringAsync();
        Assert.Contains("# TYPE ", body, StringComparison.Ordinal);
        Assert.Contains(host == "silo" ? "clinic-cluster-silo" : "clinic-cluster-api", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Management_paths_answer_only_on_the_management_port_and_public_paths_never_there()
    {
        var publicApi = new Uri($"http://127.0.0.1:{fixture.ApiPort}");

        // The Host header names the management port, but the socket is the public one.
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(publicApi, "/metrics"));
        request.Headers.Host = $"127.0.0.1:{fixture.ApiManagementPort}";
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", fixture.MetricsToken);
        using (var spoofed = await _http.SendAsync(request))
        {
            Assert.Equal(HttpStatusCode.NotFound, spoofed.StatusCode);
        }

        using (var health = await _http.GetAsync(new Uri(publicApi, "/health/ready")))
        {
            Assert.Equal(HttpStatusCode.NotFound, health.StatusCode);
        }

        using (var openApi = await _http.GetAsync(new Uri(fixture.ApiManagement, "/openapi/v1.json")))
        {
            Assert.Equal(HttpStatusCode.NotFound, openApi.StatusCode);
        }

        using var served = await _http.GetAsync(new Uri(publicApi, "/openapi/v1.json"));
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
    }

    [Theory]
    [InlineData("silo")]
    [InlineData("api")]
    public async Task Probes_answer_anonymously_on_the_management_port(string host)
    {
        foreach (var probe in new[] { "/health/live", "/health/ready", "/health/startup" })
        {
            using var response = await _http.GetAsync(new Uri(Management(host), probe));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    [Fact]
    public async Task Dashboard_refuses_without_operator_credentials_and_serves_an_operator()
    {
        var dashboard = new Uri(fixture.SiloManagement, "/dashboard/");
        using (var anonymous = await _http.GetAsync(dashboard))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
            Assert.StartsWith("Basic", anonymous.Headers.WwwAuthenticate.Single().Scheme, StringComparison.Ordinal);
        }

        using (var wrong = await GetAsync(dashboard, "Basic", Basic(ObservabilityFixture.OperatorName, "wrong")))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        // The metrics token is no dashboard credential.
        using (var token = await GetAsync(dashboard, "Bearer", fixture.MetricsToken))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, token.StatusCode);
        }

        using var operatorAnswer = await GetAsync(new Uri(fixture.SiloManagement, "/dashboard/ClusterStats"), "Basic",
            Basic(ObservabilityFixture.OperatorName, fixture.OperatorPassword));
        Assert.Equal(HttpStatusCode.OK, operatorAnswer.StatusCode);

        // The live log stream is off unless Dashboard:LiveLogStream is set, even for an operator.
        using var logStream = await GetAsync(new Uri(fixture.SiloManagement, "/dashboard/Trace"), "Basic",
            Basic(ObservabilityFixture.OperatorName, fixture.OperatorPassword));
        Assert.Equal(HttpStatusCode.Forbidden, logStream.StatusCode);
    }

    private Uri Management(string host) => host == "silo" ? fixture.SiloManagement : fixture.ApiManagement;

    private Task<HttpResponseMessage> GetAsync(Uri uri, string scheme, string parameter)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, uri);
        request.Headers.Authorization = new AuthenticationHeaderValue(scheme, parameter);
        return _http.SendAsync(request);
    }

    private static string Basic(string name, string password) =>
        Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{name}:{password}"));
}
