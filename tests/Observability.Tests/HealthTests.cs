using System.Net;
using ClinicCluster.Observability.Tests.Infrastructure;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ClinicCluster.Observability.Tests;

[Collection(ObservabilityCollection.Name)]
public sealed class HealthTests(ObservabilityFixture fixture)
{
    [Fact]
    public void Silo_is_not_ready_before_it_joined_and_ready_once_active()
    {
        var seen = fixture.SiloReadinessWhileStarting;
        Assert.True(seen.Count >= 2, $"only {seen.Count} readiness observations while the silo started");
        Assert.Equal(HealthStatus.Unhealthy, seen[0]);
        Assert.Equal(HealthStatus.Healthy, seen[^1]);
    }

    [Fact]
    public async Task Ready_turns_false_while_PostgreSQL_is_unreachable_and_true_again_after()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var probes = new[] { fixture.SiloManagement, fixture.ApiManagement };
        foreach (var management in probes)
        {
            Assert.Equal(HttpStatusCode.OK, await StatusAsync(http, management, "/health/ready"));
        }

        fixture.Proxy.Cut();
        try
        {
            foreach (var management in probes)
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, await EventuallyAsync(http, management, HttpStatusCode.ServiceUnavailable));

                // Liveness stays cheap and true: restarting the process would not bring the database back.
                Assert.Equal(HttpStatusCode.OK, await StatusAsync(http, management, "/health/live"));
            }
        }
        finally
        {
            fixture.Proxy.Open();
        }

        foreach (var management in probes)
        {
            Assert.Equal(HttpStatusCode.OK, await EventuallyAsync(http, management, HttpStatusCode.OK));
        }
    }

    private static async Task<HttpStatusCode> EventuallyAsync(HttpClient http, Uri management, HttpStatusCode wanted)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        HttpStatusCode last;
        do
        {
            last = await StatusAsync(http, management, "/health/ready");
            if (last == wanted)
            {
                return last;
            }

            await Task.Delay(250);
        }
        while (DateTime.UtcNow < deadline);
        return last;
    }

    private static async Task<HttpStatusCode> StatusAsync(HttpClient http, Uri management, string path)
    {
        using var response = await http.GetAsync(new Uri(management, path));
        return response.StatusCode;
    }
}
