using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Xunit.Abstractions;

namespace ClinicCluster.Security.Tests;

/// <summary>
/// Thousands of seeded hostile requests against every endpoint of the PostgreSQL mode: none may
/// answer 5xx, both processes stay up, and a refused request leaves the stored state exactly as it
/// was (compared row by row after every request). HOSTILE_SEED and HOSTILE_REQUESTS change the run.
/// </summary>
[Collection(SecurityCollection.Name)]
public sealed class HostileInputTests(SecurityFixture fixture, ITestOutputHelper output)
{
    private const int DefaultRequests = 5000;
    private const int DefaultSeed = 20261202;
    private const int RawPerMutation = 4;

    [Fact]
    public async Task Hostile_requests_get_no_5xx_and_leave_state_unchanged_when_refused()
    {
        var seed = Setting("HOSTILE_SEED", DefaultSeed);
        var count = Setting("HOSTILE_REQUESTS", DefaultRequests);
        var victim = await Seeding.CreateVictimAsync(fixture.Http, "hostile-" + seed.ToString(CultureInfo.InvariantCulture));
        var generator = new HostileRequestGenerator(seed, victim, SecurityFixture.AdminToken);

        var failures = new List<string>();
        var statuses = new SortedDictionary<int, int>();
        var endpoints = new HashSet<string>(StringComparer.Ordinal);
        var accepted = 0;
        var before = await StateSnapshot.TakeAsync(fixture.Database);
        var clock = Stopwatch.StartNew();
        // Latin-1 header encoding, so non-ASCII header values reach the server instead of failing in the client.
        using var http = new HttpClient(new SocketsHttpHandler { RequestHeaderEncodingSelector = (_, _) => Encoding.Latin1 })
        {
            BaseAddress = fixture.BaseAddress,
            Timeout = TimeSpan.FromSeconds(30),
        };
        for (var i = 0; i < count; i++)
        {
            var request = generator.Next();
            endpoints.Add(request.Endpoint);
            int status;
            try
            {
                using var response = await http.SendAsync(ToMessage(request));
                status = (int)response.StatusCode;

                // The security headers mark a response of the application; without them Kestrel itself
                // refused a request it could not parse (NUL in a header, a URL too long), which it may only do with these codes.
                var fromApplication = response.Headers.Contains("X-Content-Type-Options");
                if (!fromApplication && status is not (400 or 413 or 414 or 431))
                {
                    failures.Add($"#{i} {status} from the server, not the application: {request}");
                }
                else if (fromApplication && status >= 400 && response.Content.Headers.ContentType?.MediaType != ErrorMediaType(request)
                    && request.Endpoint is not ("Health" or "OpenApi"))
                {
                    failures.Add($"#{i} {status} without problem details (or an OperationOutcome under /fhir): {request}");
                }
            }
            catch (HttpRequestException) when (request.MayAbortConnection)
            {
                // Kestrel answers 413 and closes the connection while the client is still sending.
                status = 413;
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
            {
                failures.Add($"#{i} {exception.GetType().Name}: {request}");
                continue;
            }

            statuses[status] = statuses.GetValueOrDefault(status) + 1;
            if (status >= 500)
            {
                failures.Add($"#{i} {status}: {request}");
            }

            var after = await StateSnapshot.TakeAsync(fixture.Database);
            if (status is >= 200 and < 300 && request.Method != HttpMethod.Get)
            {
                accepted++;
            }
            else if (after != before)
            {
                failures.Add($"#{i} {status} changed stored state ({StateSnapshot.Difference(before, after)}): {request}");
            }

            before = after;
        }

        output.WriteLine($"seed {seed}: {count} requests in {clock.Elapsed.TotalSeconds:F1} s, {accepted} writes accepted, {endpoints.Count} endpoints");
        output.WriteLine("statuses: " + string.Join(", ", statuses.Select(s => $"{s.Key} x {s.Value}")));
        foreach (var failure in failures.Take(40))
        {
            output.WriteLine(failure);
        }

        Assert.Equal(generator.EndpointNames.Distinct().Count(), endpoints.Count);
        Assert.Empty(failures);

        // Both processes are up and serve a plain request.
        using var live = await http.GetAsync(new Uri("/health/ready", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        using var silo = await http.GetAsync(new Uri(fixture.Silo.Http, "/health/ready"));
        Assert.Equal(HttpStatusCode.OK, silo.StatusCode);
        using var clinic = new HttpRequestMessage(HttpMethod.Get, $"/api/clinics/{victim.ClinicId}");
        clinic.Headers.Authorization = new AuthenticationHeaderValue("Bearer", SecurityFixture.AdminToken);
        using var read = await http.SendAsync(clinic);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
    }

    [Fact]
    public async Task Raw_hostile_requests_get_no_5xx_and_every_connection_is_answered_then_reusable_or_closed_explicitly()
    {
        // Several seeds unless one is asked for; each seed draws every raw mutation on random endpoints.
        var explicitSeed = Environment.GetEnvironmentVariable("HOSTILE_SEED") is { Length: > 0 };
        var first = Setting("HOSTILE_SEED", DefaultSeed);
        var seeds = explicitSeed ? [first] : new[] { first, first + 1, first + 2 };
        var cases = new List<HostileRawRequest>();
        foreach (var seed in seeds)
        {
            var victim = await Seeding.CreateVictimAsync(fixture.Http, "raw-" + seed.ToString(CultureInfo.InvariantCulture));
            var generator = new HostileRequestGenerator(seed, victim, SecurityFixture.AdminToken);
            for (var i = 0; i < RawPerMutation; i++)
            {
                cases.AddRange(HostileRequestGenerator.RawMutations.Select(generator.NextRaw));
            }
        }

        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        var statuses = new System.Collections.Concurrent.ConcurrentDictionary<int, int>();
        var clock = Stopwatch.StartNew();
        // Eight connections at a time: the cases that wait for a body the client never sends take seconds each.
        await Parallel.ForEachAsync(cases, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (request, _) =>
        {
            var answers = new List<RawResponse>();
            var (_, failure) = await ConnectionReuseTests.ExchangeThenProbeAsync(fixture.BaseAddress, request.Bytes, request.Responses, request.CloseImplied, answers);
            if (failure is not null)
            {
                failures.Add($"{failure}: {request}");
            }

            foreach (var answer in answers)
            {
                statuses.AddOrUpdate(answer.Status, 1, (_, n) => n + 1);
                var fromApplication = answer.Headers.ContainsKey("X-Content-Type-Options");
                if (answer.Status >= 500)
                {
                    failures.Add($"{answer.Status}: {request}");
                }
                else if (!fromApplication && answer.Status is not (400 or 408 or 413 or 414 or 431))
                {
                    failures.Add($"{answer.Status} from the server, not the application: {request}");
                }
            }
        });

        output.WriteLine($"seeds {string.Join(", ", seeds)}: {cases.Count} raw requests in {clock.Elapsed.TotalSeconds:F1} s");
        output.WriteLine("statuses: " + string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key} x {s.Value}")));
        foreach (var failure in failures.Take(40))
        {
            output.WriteLine(failure);
        }

        Assert.Empty(failures);
    }

    // FHIR routes answer errors as OperationOutcomes (application/fhir+json), the native API as problem details.
    private static string ErrorMediaType(HostileRequest request) =>
        request.PathAndQuery.StartsWith("/fhir/", StringComparison.Ordinal) ? "application/fhir+json" : "application/problem+json";

    private static HttpRequestMessage ToMessage(HostileRequest request)
    {
        var message = new HttpRequestMessage(request.Method, new Uri(request.PathAndQuery, UriKind.Relative));
        if (request.Body is not null)
        {
            message.Content = new ByteArrayContent(request.Body);
            message.Content.Headers.ContentType = null;
            if (request.ContentType is not null)
            {
                message.Content.Headers.TryAddWithoutValidation("Content-Type", request.ContentType);
            }
        }

        foreach (var (name, value) in request.Headers)
        {
            if (name == "Content-Type")
            {
                message.Content ??= new ByteArrayContent([]);
                message.Content.Headers.TryAddWithoutValidation(name, value);
            }
            else
            {
                message.Headers.TryAddWithoutValidation(name, value);
            }
        }

        return message;
    }

    private static int Setting(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : fallback;
}
