using System.Globalization;
using System.Net;
using ClinicCluster.Observability.Tests.Infrastructure;
using Xunit.Abstractions;

namespace ClinicCluster.Observability.Tests;

/// <summary>
/// A real Prometheus scrapes both hosts with the bearer token after a short booking scenario; every
/// series docs/operations/observability.md documents must be there with a sane value. Both hosts
/// run in this process, so a process-wide meter (Npgsql's, the audit grain's) shows on both jobs;
/// the checks name the job where the series belongs.
/// </summary>
[Collection(ObservabilityCollection.Name)]
public sealed class PrometheusScrapeTests(ObservabilityFixture fixture, ITestOutputHelper output)
{
    private const string Silo = "clinic-cluster-silo";
    private const string Api = "clinic-cluster-api";

    [Fact]
    public async Task Prometheus_scrapes_every_documented_series_with_sane_values()
    {
        await using var prometheus = await PrometheusServer.StartAsync(fixture.MetricsTokenFile, new Dictionary<string, int>
        {
            [Silo] = fixture.SiloManagementPort,
            [Api] = fixture.ApiManagementPort,
        });

        // The scenario: three bookings and one conflict in a fresh clinic.
        var (clinicId, providerId) = await fixture.Api.CreateClinicAsync();
        var patients = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            patients.Add(await fixture.Api.RegisterPatientAsync(clinicId, PatientDetails.New()));
        }

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Created,
                await fixture.Api.BookAsync(clinicId, patients[i], providerId, ClinicApiClient.DaysAhead(3, 9 + i), "checkup"));
        }

        Assert.Equal(HttpStatusCode.Conflict,
            await fixture.Api.BookAsync(clinicId, patients[3], providerId, ClinicApiClient.DaysAhead(3, 9), "checkup"));

        // And one request without a token: a denial (meter ClinicCluster.Api.Security).
        using (var anonymous = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{fixture.ApiPort}") })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(new Uri($"/api/clinics/{clinicId}/patients/{patients[0]}", UriKind.Relative))).StatusCode);
        }

        var expectations = new (string Query, Func<double, bool> Sane, string Meaning)[]
        {
            ($"up{{job=\"{Silo}\"}}", v => v == 1, "the silo is scraped with the token"),
            ($"up{{job=\"{Api}\"}}", v => v == 1, "the API is scraped with the token"),

            // Ours.
            ($"sum(clinic_api_request_duration_seconds_count{{job=\"{Api}\",status_class=\"2xx\"}})", v => v >= 8, "public 2xx requests"),
            ($"sum(clinic_api_request_duration_seconds_count{{job=\"{Api}\",status_class=\"4xx\"}})", v => v >= 1, "the conflict's 409"),
            ($"sum(clinic_api_request_duration_seconds_bucket{{job=\"{Api}\",le=\"+Inf\"}})", v => v >= 9, "latency buckets"),
            ($"sum(clinic_bookings_total{{job=\"{Api}\",outcome=\"booked\"}})", v => v >= 3, "bookings booked"),
            ($"sum(clinic_bookings_total{{job=\"{Api}\",outcome=\"conflict\"}})", v => v >= 1, "booking conflicts"),
            ($"sum(clinic_api_denials_total{{job=\"{Api}\",status=\"401\"}})", v => v >= 1, "the request without a token, denied"),
            ($"clinic_appointments_active{{job=\"{Silo}\",clinic_id=\"{clinicId}\"}}", v => v == 3, "active appointments of the clinic"),
            ($"clinic_cluster_silos{{job=\"{Silo}\",status=\"active\"}}", v => v == 1, "one active silo"),
            ($"sum(clinic_cluster_membership_changes_total{{job=\"{Silo}\",status=\"active\"}})", v => v >= 1, "the silo saw itself become active"),
            ($"max(audit_backlog{{job=\"{Silo}\"}})", v => v is >= 0 and < 1000, "audit backlog"),
            ($"max(audit_backlog_age_seconds{{job=\"{Silo}\"}})", v => v is >= 0 and < 600, "age of the oldest queued audit event"),
            ($"max(audit_dead_letters{{job=\"{Silo}\"}})", v => v == 0, "no audit dead letters"),
            ($"sum(audit_events_appended_total{{job=\"{Silo}\"}})", v => v >= 4, "audit events appended (registrations, bookings)"),
            ($"sum(audit_enqueue_duration_milliseconds_count{{job=\"{Api}\"}})", v => v >= 4, "audit enqueue latency"),
            ($"sum(audit_consumer_lag_milliseconds_count{{job=\"{Silo}\"}})", v => v >= 4, "audit consumer lag"),

            // Orleans.
            ($"sum(orleans_catalog_activations{{job=\"{Silo}\"}})", v => v >= 3, "grain activations"),
            ($"sum(orleans_grains{{job=\"{Silo}\"}})", v => v >= 3, "grains by type"),
            ($"sum(orleans_storage_write_latency_milliseconds_count{{job=\"{Silo}\"}})", v => v >= 3, "grain storage writes"),
            ($"sum(orleans_storage_read_latency_milliseconds_count{{job=\"{Silo}\"}})", v => v >= 1, "grain storage reads"),
            ($"sum(orleans_app_requests_latency_milliseconds_count{{job=\"{Silo}\"}})", v => v >= 3, "grain calls"),

            // Npgsql.
            ($"max(db_client_connection_max{{job=\"{Silo}\"}})", v => v >= 1, "pool limit"),
            ($"sum(db_client_connection_count{{job=\"{Silo}\"}})", v => v >= 1, "pool connections (idle + used)"),
            ($"sum(db_client_operation_duration_seconds_count{{job=\"{Silo}\"}})", v => v >= 10, "database commands"),

            // ASP.NET Core and the runtime.
            ($"sum(http_server_request_duration_seconds_count{{job=\"{Api}\"}})", v => v >= 9, "HTTP server requests"),
            ($"sum(dotnet_gc_collections_total{{job=\"{Silo}\"}})", v => v >= 0, "GC collections"),
            ($"max(dotnet_process_memory_working_set_bytes{{job=\"{Api}\"}})", v => v > 1_000_000, "working set"),
        };

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(40);
        List<string> failures;
        do
        {
            failures = [];
            foreach (var (query, sane, meaning) in expectations)
            {
                var result = await prometheus.QueryAsync(query);
                if (result.Count == 0)
                {
                    failures.Add($"{meaning}: {query} has no series");
                }
                else if (!result.All(r => sane(r.Value)))
                {
                    failures.Add($"{meaning}: {query} = {string.Join(", ", result.Select(r => r.Value.ToString(CultureInfo.InvariantCulture)))}");
                }
            }

            if (failures.Count == 0)
            {
                break;
            }

            await Task.Delay(1000);
        }
        while (DateTime.UtcNow < deadline);

        Assert.True(failures.Count == 0, string.Join("\n", failures));

        // The chart's alert rules load into this Prometheus, and with a healthy system none fires.
        var rules = await prometheus.AlertRulesAsync();
        Assert.Equal(10, rules.Count);
        Assert.All(rules, rule => Assert.Equal("ok", rule.Health));
        Assert.All(rules, rule => Assert.True(rule.State == "inactive", $"{rule.Name} is {rule.State}"));

        // No label value is PHI or unbounded: every label of our series is one of a few known names
        // ("recorded" and "caller" are the denial meter's fixed words, docs/security.md).
        var labels = (await prometheus.QueryAsync("{__name__=~\"clinic_.*|audit_.*\"}"))
            .SelectMany(series => series.Labels.Keys).Distinct().Order().ToList();
        output.WriteLine("labels: " + string.Join(", ", labels));
        Assert.Subset(
            new HashSet<string> { "__name__", "job", "instance", "otel_scope_name", "otel_scope_version", "status", "status_class", "outcome", "record", "recorded", "caller", "clinic_id", "le" },
            labels.ToHashSet());
    }
}
