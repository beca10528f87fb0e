using System.Globalization;
using System.Text;
using Xunit.Abstractions;

namespace ClinicCluster.Security.Tests;

/// <summary>
/// A keep-alive connection is never poisoned: after any answer, the next request on the same
/// socket is served, or the answer said <c>Connection: close</c> and the server closed it. Raw
/// sockets, so what the server does with the connection is seen exactly.
/// </summary>
[Collection(SecurityCollection.Name)]
public sealed class ConnectionReuseTests(SecurityFixture fixture, ITestOutputHelper output)
{
    private const int OverLimitBytes = 70 * 1024;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task Oversized_body_to_an_unrouted_path_then_the_next_request_on_the_same_socket_is_served()
    {
        var request = Request("POST", "/api/clinics/zz/appointments/%2e%2e%2f/check-in", SecurityFixture.AdminToken,
            body: new string('x', OverLimitBytes));
        var (first, failure) = await ExchangeThenProbeAsync(fixture.BaseAddress, request);
        Assert.Null(failure);
        Assert.Equal(413, first!.Status);
        Assert.True(first.ClosesConnection);
        Assert.Contains("body-too-large", Encoding.UTF8.GetString(first.Body), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_early_answer_to_a_body_leaves_the_connection_usable_or_closes_it_explicitly()
    {
        var victim = await Seeding.CreateVictimAsync(fixture.Http, "reuse");
        var c = "/api/clinics/" + victim.ClinicId;
        var admin = SecurityFixture.AdminToken;
        var auditor = SecurityFixture.Token("auditor", "*");
        var big = new string('x', OverLimitBytes);
        var small = "{\"reason\":\"x\"}";
        var cases = new (string Name, int[] Expected, byte[] Request)[]
        {
            ("unrouted, declared 70 KB", [413], Request("POST", "/api/nowhere", admin, big)),
            ("unrouted, chunked 70 KB", [404], Request("POST", "/api/nowhere", admin, big, chunked: true)),
            ("no token, declared 70 KB", [413], Request("POST", c + "/patients", null, big)),
            ("no token, chunked 70 KB", [401], Request("POST", c + "/patients", null, big, chunked: true)),
            ("no token, small body", [401], Request("POST", c + "/patients", null, small)),
            ("wrong role, chunked 70 KB", [403], Request("PUT", c, auditor, big, chunked: true)),
            ("wrong role, small body", [403], Request("PUT", c, auditor, small)),
            ("wrong method, chunked 70 KB", [405], Request("PUT", c + "/patients", admin, big, chunked: true)),
            ("wrong method, small body", [405], Request("DELETE", c + "/patients", admin, small)),
            ("wrong content type, chunked 70 KB", [415], Request("POST", c + "/patients", admin, big, chunked: true, contentType: "text/plain")),
            ("handler reads the body, chunked 70 KB", [413], Request("POST", c + "/patients", admin, big, chunked: true)),
            ("handler takes no body, declared 70 KB", [413], Request("POST", $"{c}/appointments/{victim.AppointmentId}/check-in", admin, big)),
            ("handler takes no body, chunked 70 KB", [200, 409], Request("POST", $"{c}/appointments/{victim.AppointmentId}/check-in", admin, big, chunked: true)),
            ("handler takes no body, small body", [200, 409], Request("POST", $"{c}/appointments/{victim.AppointmentId}/check-in", admin, small)),
            ("unknown clinic, small body", [400, 404], Request("POST", "/api/clinics/zz-unknown/patients", admin, small)),
        };

        var failures = new List<string>();
        foreach (var (name, expected, request) in cases)
        {
            var (first, failure) = await ExchangeThenProbeAsync(fixture.BaseAddress, request);
            output.WriteLine($"{name}: {first?.Status.ToString(CultureInfo.InvariantCulture) ?? "-"} close={first?.ClosesConnection} {failure}");
            if (failure is not null)
            {
                failures.Add($"{name}: {failure}");
            }
            else if (!expected.Contains(first!.Status))
            {
                failures.Add($"{name}: answered {first.Status}, expected {string.Join(" or ", expected)}");
            }
        }

        Assert.Empty(failures);
    }

    [Fact]
    public async Task A_request_whose_body_was_read_keeps_its_connection()
    {
        var victim = await Seeding.CreateVictimAsync(fixture.Http, "keep");
        var mrn = "MRN-" + Guid.NewGuid().ToString("N")[..10].ToUpperInvariant();
        var body = $"{{\"mrn\":\"{mrn}\",\"givenName\":\"Kay\",\"familyName\":\"Alive\",\"birthDate\":\"1980-01-01\",\"sex\":\"female\"}}";
        foreach (var chunked in new[] { false, true })
        {
            var request = Request("POST", $"/api/clinics/{victim.ClinicId}/patients", SecurityFixture.AdminToken,
                chunked ? body.Replace(mrn, mrn + "C", StringComparison.Ordinal) : body, chunked);
            var (first, failure) = await ExchangeThenProbeAsync(fixture.BaseAddress, request);
            Assert.Null(failure);
            Assert.Equal(201, first!.Status);

            // Closing every connection would pass the other tests and cost every client a handshake.
            Assert.False(first.ClosesConnection);
        }
    }

    /// <summary>
    /// Sends <paramref name="request"/>, then <c>GET /health/live</c> on the same socket. The
    /// failure is null when the request was answered (<paramref name="responses"/> answers for
    /// pipelined requests) and either the probe was answered 200, or the last answer announced
    /// <c>Connection: close</c> (or <paramref name="closeImplied"/>: an HTTP/1.0 request without
    /// keep-alive) and the server closed the socket. Every answer is returned.
    /// </summary>
    internal static async Task<(RawResponse? First, string? Failure)> ExchangeThenProbeAsync(Uri baseAddress, byte[] request) =>
        await ExchangeThenProbeAsync(baseAddress, request, responses: 1, closeImplied: false, []);

    internal static async Task<(RawResponse? First, string? Failure)> ExchangeThenProbeAsync(
        Uri baseAddress, byte[] request, int responses, bool closeImplied, List<RawResponse> answers)
    {
        using var connection = await RawHttpConnection.OpenAsync(baseAddress);
        await connection.SendAsync(request);
        RawResponse? last = null;
        for (var i = 0; i < responses; i++)
        {
            var (outcome, response) = await connection.ReadResponseAsync(Patience);
            if (outcome != RawOutcome.Answered)
            {
                return (answers.FirstOrDefault(), $"request {i + 1}: {outcome}");
            }

            answers.Add(response!);
            last = response;
            if (response!.ClosesConnection)
            {
                // A server that closes may drop the requests pipelined behind this one.
                break;
            }
        }

        if (last!.ClosesConnection || closeImplied)
        {
            return (answers[0], await connection.ServerClosedAsync(Patience) ? null : "announced Connection: close but kept the socket open");
        }

        if (!await connection.SendAsync("GET /health/live HTTP/1.1\r\nHost: localhost\r\n\r\n"))
        {
            return (answers[0], "closed without Connection: close (probe not sent)");
        }

        var (probeOutcome, probe) = await connection.ReadResponseAsync(Patience);
        return probeOutcome != RawOutcome.Answered
            ? (answers[0], $"closed without Connection: close (probe: {probeOutcome})")
            : (answers[0], probe!.Status == 200 ? null : $"probe answered {probe.Status}");
    }

    internal static byte[] Request(string method, string target, string? token, string body, bool chunked = false, string contentType = "application/json")
    {
        var head = new StringBuilder($"{method} {target} HTTP/1.1\r\nHost: localhost\r\n");
        if (token is not null)
        {
            head.Append("Authorization: Bearer ").Append(token).Append("\r\n");
        }

        head.Append("Content-Type: ").Append(contentType).Append("\r\n");
        var bytes = Encoding.UTF8.GetBytes(body);
        if (!chunked)
        {
            head.Append("Content-Length: ").Append(bytes.Length.ToString(CultureInfo.InvariantCulture)).Append("\r\n\r\n");
            return [.. Encoding.ASCII.GetBytes(head.ToString()), .. bytes];
        }

        head.Append("Transfer-Encoding: chunked\r\n\r\n");
        using var wire = new MemoryStream();
        wire.Write(Encoding.ASCII.GetBytes(head.ToString()));
        foreach (var chunk in bytes.Chunk(8192))
        {
            wire.Write(Encoding.ASCII.GetBytes(chunk.Length.ToString("x", CultureInfo.InvariantCulture) + "\r\n"));
            wire.Write(chunk);
            wire.Write("\r\n"u8);
        }

        wire.Write("0\r\n\r\n"u8);
        return wire.ToArray();
    }
}
