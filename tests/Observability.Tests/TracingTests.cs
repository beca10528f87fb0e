using System.Diagnostics;
using System.Net;
using ClinicCluster.Observability.Tests.Infrastructure;

namespace ClinicCluster.Observability.Tests;

[Collection(ObservabilityCollection.Name)]
public sealed class TracingTests(ObservabilityFixture fixture)
{
    [Fact]
    public async Task One_booking_is_one_trace_from_HTTP_through_grain_calls_to_the_database_with_the_clinic_and_no_PHI()
    {
        var (clinicId, providerId) = await fixture.Api.CreateClinicAsync();
        var patient = PatientDetails.New();
        var patientId = await fixture.Api.RegisterPatientAsync(clinicId, patient);
        const string reason = "Persistent cough since the ski trip";
        fixture.Spans.Clear();

        Assert.Equal(HttpStatusCode.Created,
            await fixture.Api.BookAsync(clinicId, patientId, providerId, ClinicApiClient.DaysAhead(5, 9), reason));

        var http = await EventuallyAsync(() => fixture.Spans.Snapshot().SingleOrDefault(s =>
            s.Kind == ActivityKind.Server && s.GetTagItem("http.route") is string route && route.EndsWith("/appointments/", StringComparison.Ordinal)
            && s.GetTagItem("http.request.method") as string == "POST"));
        Assert.Equal(clinicId, http.GetTagItem("clinic.id"));

        // Spans end (and are exported) after their children; give the last ones a moment.
        var trace = await EventuallyAsync(() =>
        {
            var spans = fixture.Spans.Snapshot().Where(s => s.TraceId == http.TraceId).ToList();
            return spans.Any(IsGrainServer) && spans.Any(IsDatabase) ? spans : null;
        });

        var names = string.Join(", ", trace.Select(s => $"{s.Source.Name}:{s.Kind}:{s.DisplayName}"));
        Assert.True(trace.Any(s => s.Source.Name == "Microsoft.Orleans.Application" && s.Kind == ActivityKind.Client
            && s.DisplayName.Contains("Appointment", StringComparison.Ordinal)), names);
        Assert.Contains(trace, IsGrainServer);
        Assert.All(trace.Where(IsGrainServer), s => Assert.True(clinicId == s.GetTagItem("clinic.id") as string, s.DisplayName));
        Assert.Contains(trace, IsDatabase);
        Assert.All(trace.Where(s => s != http), s => Assert.NotNull(s.ParentSpanId.ToHexString()));

        var values = trace.SelectMany(s => s.TagObjects.Select(t => t.Value?.ToString() ?? "").Append(s.DisplayName)).ToList();
        foreach (var phi in patient.Values.Append(reason))
        {
            Assert.DoesNotContain(values, v => v.Contains(phi, StringComparison.OrdinalIgnoreCase));
        }
    }

    private static bool IsGrainServer(Activity span) =>
        span.Source.Name == "Microsoft.Orleans.Application" && span.Kind == ActivityKind.Server;

    private static bool IsDatabase(Activity span) => span.Source.Name == "Npgsql";

    private static async Task<T> EventuallyAsync<T>(Func<T?> find)
        where T : class
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (true)
        {
            if (find() is { } found)
            {
                return found;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("The expected spans were not exported within 15 s.");
            }

            await Task.Delay(100);
        }
    }
}
