using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Npgsql;
using Xunit.Abstractions;

namespace ClinicCluster.Security.Tests;

/// <summary>
/// Certificates rotate under load without a restart (issue 20, decision record 0029): two silo
/// processes and the API with mutual TLS and VerifyFull to PostgreSQL, bookings running, every
/// certificate mounted as a Kubernetes Secret volume. Step 1 renews the leaf certificates; step 2
/// rolls the CA (overlap bundle, new certificates, old CA removed); meanwhile the PostgreSQL root
/// file becomes a two-CA bundle. Asserted: no failed request, each silo port presents the new
/// certificate to a new handshake (read with openssl s_client, as an operator would), new
/// PostgreSQL connections are made and verified after the root file changed, and a silo started
/// with only the new CA joins and serves the API.
/// </summary>
[Collection(SecurityCollection.Name)]
public sealed class CertificateRotationTests(SecurityFixture fixture, ITestOutputHelper output)
{
    private const int Providers = 6;
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    // Twice the reload interval and a margin: every host has re-read its files by then.
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(4);
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    [Fact(Timeout = 240_000)]
    public async Task Certificates_and_the_ca_rotate_under_booking_load_with_no_failed_request()
    {
        using var oldCa = new TestCa("CN=clinic-cluster rotation CA 1");
        using var newCa = new TestCa("CN=clinic-cluster rotation CA 2");
        using var unrelatedCa = new TestCa("CN=next PostgreSQL CA");
        var siloCertificate = oldCa.Issue("silo");
        var apiCertificate = oldCa.Issue("api");
        using var siloSecret = new SecretVolume(Files(siloCertificate, oldCa.CertificatePem));
        using var apiSecret = new SecretVolume(Files(apiCertificate, oldCa.CertificatePem));
        var serverCa = await File.ReadAllTextAsync(fixture.Database.CaFile);
        using var postgresCa = new SecretVolume(new Dictionary<string, string> { ["ca.crt"] = serverCa });
        using var run = new Run(Guid.NewGuid().ToString("N")[..10], siloSecret, apiSecret, postgresCa, fixture);

        using var silo1 = run.StartSilo("silo1");
        using var silo2 = run.StartSilo("silo2");
        await Task.WhenAll(WaitReadyAsync(silo1), WaitReadyAsync(silo2));
        using var api = run.StartApi();
        await WaitReadyAsync(api);
        Log("two silos and the API are ready");

        using var http = new HttpClient { BaseAddress = new Uri(HostProcess.Url(api.HttpPort)), Timeout = TimeSpan.FromSeconds(30) };
        var clinic = await CreateClinicAsync(http);
        await using var load = new BookingLoad(http, clinic, workers: 4);
        await load.WaitForBookingsAsync(bookings: 20, TimeSpan.FromSeconds(60));
        Log($"load running: {load.Succeeded} bookings");

        // Step 1: cert-manager renews the leaf certificates (same CA).
        siloCertificate = oldCa.Issue("silo");
        apiCertificate = oldCa.Issue("api");
        siloSecret.Update(Files(siloCertificate, oldCa.CertificatePem));
        apiSecret.Update(Files(apiCertificate, oldCa.CertificatePem));
        await Task.Delay(Settle);
        foreach (var silo in new[] { silo1, silo2 })
        {
            await AssertPresentsAsync(silo, siloCertificate, apiSecret);
        }

        Log($"step 1 (renewal): new handshakes present serial {siloCertificate.SerialNumber}; {load.Succeeded} bookings, {load.Failed} failed");

        // The PostgreSQL root file becomes the overlap bundle of a server CA roll; new physical
        // connections (Connection Lifetime=5 s) verify the server against the file as it is now.
        var swapped = await ServerNowAsync();
        postgresCa.Update(new Dictionary<string, string> { ["ca.crt"] = unrelatedCa.CertificatePem + serverCa });

        // Step 2: the CA roll. (a) Both CAs trusted everywhere, old certificates still presented.
        var bundle = oldCa.CertificatePem + newCa.CertificatePem;
        siloSecret.Update(Files(siloCertificate, bundle));
        apiSecret.Update(Files(apiCertificate, bundle));
        await Task.Delay(Settle);

        // (b) Certificates of the new CA.
        siloCertificate = newCa.Issue("silo");
        apiCertificate = newCa.Issue("api");
        siloSecret.Update(Files(siloCertificate, bundle));
        apiSecret.Update(Files(apiCertificate, bundle));
        await Task.Delay(Settle);

        // (c) The old CA removed.
        siloSecret.Update(Files(siloCertificate, newCa.CertificatePem));
        apiSecret.Update(Files(apiCertificate, newCa.CertificatePem));
        await Task.Delay(Settle);
        foreach (var silo in new[] { silo1, silo2 })
        {
            await AssertPresentsAsync(silo, siloCertificate, apiSecret);
        }

        Log($"step 2 (CA roll): new handshakes present serial {siloCertificate.SerialNumber} of the new CA; {load.Succeeded} bookings, {load.Failed} failed");

        // A silo that knows only the new CA joins (handshakes with both running silos, both ways),
        // and the API, which by now presents its new-CA certificate, opens a gateway connection to it.
        using var silo3 = run.StartSilo("silo3");
        await WaitReadyAsync(silo3);
        await WaitForAsync(() => silo3.Output.Contains("Recorded opened connection", StringComparison.Ordinal), TimeSpan.FromSeconds(30),
            () => "the API never opened a gateway connection to silo3:\n" + Tail(silo3.Output));
        var before = load.Succeeded;
        await load.WaitForBookingsAsync(bookings: before + 20, TimeSpan.FromSeconds(60));
        Log($"silo3 (new CA only) joined and the API reached it; {load.Succeeded} bookings, {load.Failed} failed");

        var logs = Path.Combine(Path.GetTempPath(), "clinic-rotation-logs");
        Directory.CreateDirectory(logs);
        foreach (var host in new[] { silo1, silo2, silo3, api })
        {
            await File.WriteAllTextAsync(Path.Combine(logs, host.Name + ".log"), host.Output);
        }

        var connections = await PostgresConnectionsAsync(run.ApplicationName);
        await load.StopAsync();
        Log($"PostgreSQL: {connections.Count} silo connections now open, all over TLS: {connections.All(c => c.Ssl)}; " +
            $"opened after the root file changed: {connections.Count(c => c.Started > swapped)}");
        Log($"done: {load.Succeeded} bookings acknowledged, {load.Failed} failed, {_clock.Elapsed.TotalSeconds:0} s");

        Assert.True(load.Failed == 0, $"{load.Failed} failed requests; first: {string.Join(" | ", load.Failures.Take(5))}; host logs in {logs}");
        Assert.True(load.Succeeded >= 60, $"only {load.Succeeded} bookings");
        Assert.NotEmpty(connections);
        Assert.All(connections, c => Assert.True(c.Ssl));
        Assert.Contains(connections, c => c.Started > swapped);
        foreach (var host in new[] { silo1, silo2, silo3, api })
        {
            Assert.DoesNotContain("changed certificate files not used", host.Output, StringComparison.Ordinal);
        }

        Assert.Contains("new certificate files in use", silo1.Output, StringComparison.Ordinal);
        Assert.Contains("new certificate files in use", api.Output, StringComparison.Ordinal);
    }

    private static Dictionary<string, string> Files(IssuedCertificate certificate, string caBundle) => new()
    {
        ["tls.crt"] = certificate.CertificatePem,
        ["tls.key"] = certificate.KeyPem,
        ["ca.crt"] = caBundle,
    };

    /// <summary>
    /// A new TLS handshake on the silo port, made by openssl s_client with the API's current
    /// certificate: the serial and SHA-256 fingerprint the silo presents must be <paramref name="expected"/>'s.
    /// </summary>
    private async Task AssertPresentsAsync(Host silo, IssuedCertificate expected, SecretVolume client)
    {
        var script = "timeout 15 openssl s_client -connect 127.0.0.1:$1 -cert $2 -key $3 </dev/null 2>/dev/null | openssl x509 -noout -serial -fingerprint -sha256";
        var info = new ProcessStartInfo("bash", ["-c", script, "s_client", silo.SiloPort.ToString(CultureInfo.InvariantCulture), client["tls.crt"], client["tls.key"]])
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var openssl = Process.Start(info) ?? throw new InvalidOperationException("openssl did not start.");
        var text = await openssl.StandardOutput.ReadToEndAsync();
        await openssl.WaitForExitAsync();
        Log($"openssl s_client -connect 127.0.0.1:{silo.SiloPort} ({silo.Name}): {text.ReplaceLineEndings(" ").Trim()}");
        // openssl prints the serial without the leading zero byte DER adds to a serial with its high bit set.
        Assert.Contains("serial=" + expected.SerialNumber.TrimStart('0'), text.Replace("serial=0", "serial=", StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase);
        Assert.Contains(expected.Sha256, text.Replace(":", "", StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase);
    }

    private async Task<DateTime> ServerNowAsync()
    {
        await using var connection = new NpgsqlConnection(fixture.Database.Superuser);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT now()", connection);
        return ((DateTime)(await command.ExecuteScalarAsync())!).ToUniversalTime();
    }

    private async Task<List<(DateTime Started, bool Ssl)>> PostgresConnectionsAsync(string applicationName)
    {
        await using var connection = new NpgsqlConnection(fixture.Database.Superuser);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT a.backend_start, s.ssl FROM pg_stat_activity a JOIN pg_stat_ssl s ON s.pid = a.pid WHERE a.application_name = @name", connection);
        command.Parameters.AddWithValue("name", applicationName);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(DateTime, bool)>();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetFieldValue<DateTime>(0).ToUniversalTime(), reader.GetBoolean(1)));
        }

        return rows;
    }

    private async Task WaitReadyAsync(Host host)
    {
        using var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(3) };
        await Readiness.WaitAsync(probe, new Uri(HostProcess.Url(host.HttpPort) + "/health/ready"), TimeSpan.FromSeconds(120),
            failure: () => host.Process.HasExited ? $"{host.Name} exited" : null, detail: () => Tail(host.Output));
        Log($"{host.Name} ready");
    }

    private static Task WaitForAsync(Func<bool> condition, TimeSpan timeout, Func<string> describe) =>
        WaitForAsync(() => Task.FromResult(condition()), timeout, describe);

    private static async Task WaitForAsync(Func<Task<bool>> condition, TimeSpan timeout, Func<string> describe)
    {
        var deadline = Stopwatch.StartNew();
        while (!await condition())
        {
            if (deadline.Elapsed > timeout)
            {
                Assert.Fail(describe());
            }

            await Task.Delay(250);
        }
    }

    private static string Tail(string text) => string.Join('\n', text.Split('\n').TakeLast(30));

    private void Log(string message)
    {
        try
        {
            output.WriteLine($"[{_clock.Elapsed.TotalSeconds,6:0.0}s] {message}");
        }
        catch (InvalidOperationException)
        {
            // The test already ended.
        }
    }

    /// <summary>A clinic with <see cref="Providers"/> providers working 08:00-20:00 every day, and one patient per provider.</summary>
    private static async Task<Clinic> CreateClinicAsync(HttpClient http)
    {
        var id = "rotation-" + Guid.NewGuid().ToString("N")[..6];
        var week = new[] { "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday" }
            .Select(day => new { day, start = "08:00:00", end = "20:00:00" }).ToArray();
        await BookingLoad.SendAsync(http, HttpMethod.Post, "/api/clinics", new
        {
            id,
            name = "Rotation clinic",
            timeZone = "America/New_York",
            appointmentTypes = new[] { new { name = "checkup", durationMinutes = 30, bufferMinutes = 10 } },
        });
        var providers = new List<string>();
        var patients = new List<string>();
        for (var i = 0; i < Providers; i++)
        {
            var provider = await BookingLoad.SendAsync(http, HttpMethod.Post, $"/api/clinics/{id}/providers", new
            {
                name = $"Dr. Rotation {i}",
                specialty = "Family medicine",
                workingHours = week,
                timeOff = Array.Empty<object>(),
            });
            providers.Add(provider.GetProperty("id").GetString()!);
            var patient = await BookingLoad.SendAsync(http, HttpMethod.Post, $"/api/clinics/{id}/patients", new
            {
                mrn = "MRN-" + Guid.NewGuid().ToString("N")[..10].ToUpperInvariant(),
                givenName = "Rota",
                familyName = "Tion",
                birthDate = "1970-05-05",
                sex = "other",
            });
            patients.Add(patient.GetProperty("id").GetString()!);
        }

        return new Clinic(id, providers, patients);
    }

    private sealed record Clinic(string Id, IReadOnlyList<string> Providers, IReadOnlyList<string> Patients);

    /// <summary>A started host and its ports.</summary>
    private sealed class Host(string name, HostProcess process, int httpPort, int siloPort) : IDisposable
    {
        public string Name { get; } = name;

        public HostProcess Process { get; } = process;

        public int HttpPort { get; } = httpPort;

        public int SiloPort { get; } = siloPort;

        public string Output => Process.Output;

        public void Dispose() => Process.Dispose();
    }

    /// <summary>The settings of this test's cluster: own cluster and service ids, every secret from a Secret volume.</summary>
    private sealed class Run(string suffix, SecretVolume silo, SecretVolume api, SecretVolume postgresCa, SecurityFixture fixture) : IDisposable
    {
        public string ApplicationName { get; } = "clinic-silo-rotation-" + suffix;

        private string KeyRing { get; } = Write("phi-key-ring", $$$"""{"activeKeyId":"k1","keys":{"k1":"{{{Key()}}}"},"indexKey":"{{{Key()}}}"}""");

        private string ChainKey { get; } = Write("audit-chain-keys", $$$"""{"activeKeyId":"c1","keys":{"c1":"{{{Key()}}}"}}""");

        public Host StartSilo(string name)
        {
            var (http, siloPort, gateway) = (Ports.Free(), Ports.Free(), Ports.Free());
            var environment = Common(silo);
            environment["Urls"] = HostProcess.Url(http);
            environment["Silo__Clustering"] = "AdoNet";
            environment["Silo__Storage"] = "Postgres";
            environment["Silo__ClusterId"] = "rotation-" + suffix;
            environment["Silo__ServiceId"] = "rotation-" + suffix;
            environment["Silo__SiloPort"] = siloPort.ToString(CultureInfo.InvariantCulture);
            environment["Silo__GatewayPort"] = gateway.ToString(CultureInfo.InvariantCulture);
            environment["Silo__AdvertisedIPAddress"] = "127.0.0.1";
            environment["Postgres__ConnectionString"] = fixture.Database.App + $";Application Name={ApplicationName};Connection Lifetime=5;Timezone=America/New_York";
            environment["Encryption__KeyRingFile"] = KeyRing;
            environment["Audit__ChainKeyFile"] = ChainKey;

            // The gateway's "Recorded opened connection" line tells that a client completed a handshake.
            environment["Logging__LogLevel__Orleans.Runtime.Messaging"] = "Information";
            return new Host(name, HostProcess.Start(HostProcess.Silo, environment), http, siloPort);
        }

        public Host StartApi()
        {
            var http = Ports.Free();
            var environment = Common(api);
            environment["Urls"] = HostProcess.Url(http);
            environment["Cluster__Clustering"] = "AdoNet";
            environment["Cluster__ClusterId"] = "rotation-" + suffix;
            environment["Cluster__ServiceId"] = "rotation-" + suffix;
            environment["Postgres__ConnectionString"] = fixture.Database.Api + ";Connection Lifetime=5";
            environment["Auth__DevSigningKey"] = SecurityFixture.SigningKey;
            environment["Auth__Audience"] = SecurityFixture.Audience;
            environment["RateLimits__Enabled"] = "false";
            environment["Demo__Seed"] = "false";
            return new Host("api", HostProcess.Start(HostProcess.Api, environment), http, 0);
        }

        private Dictionary<string, string> Common(SecretVolume tls) => new()
        {
            ["DOTNET_ENVIRONMENT"] = "Development",
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["Postgres__SslMode"] = "VerifyFull",
            ["Postgres__RootCertificateFile"] = postgresCa["ca.crt"],
            ["ClusterTls__Enabled"] = "true",
            ["ClusterTls__CertificateFile"] = tls["tls.crt"],
            ["ClusterTls__KeyFile"] = tls["tls.key"],
            ["ClusterTls__CaFile"] = tls["ca.crt"],
            ["ClusterTls__ReloadInterval"] = "00:00:01",
            ["Logging__LogLevel__Default"] = "Information",
            ["Logging__LogLevel__Microsoft.AspNetCore"] = "Warning",
            ["Logging__LogLevel__Orleans"] = "Warning",
        };

        public void Dispose()
        {
            File.Delete(KeyRing);
            File.Delete(ChainKey);
        }

        private static string Key() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

        private static string Write(string name, string content)
        {
            var path = Path.Combine(Path.GetTempPath(), $"clinic-rotation-{name}-{Guid.NewGuid():N}.json");
            File.WriteAllText(path, content);
            return path;
        }
    }

    /// <summary>
    /// Bookings from a few workers until stopped, each at its own slot (provider i % 6, hourly from
    /// 08:00 New York time, two days ahead onwards), so every answer but 201 is a failure.
    /// </summary>
    private sealed class BookingLoad : IAsyncDisposable
    {
        private readonly HttpClient _http;
        private readonly Clinic _clinic;
        private readonly CancellationTokenSource _stop = new();
        private readonly Task[] _workers;
        private readonly DateOnly _firstDay = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, NewYork).DateTime).AddDays(2);
        private int _next = -1;
        private int _succeeded;
        private int _failed;

        public BookingLoad(HttpClient http, Clinic clinic, int workers)
        {
            _http = http;
            _clinic = clinic;
            _workers = Enumerable.Range(0, workers).Select(_ => Task.Run(WorkAsync)).ToArray();
        }

        public int Succeeded => Volatile.Read(ref _succeeded);

        public int Failed => Volatile.Read(ref _failed);

        public ConcurrentQueue<string> Failures { get; } = new();

        public async Task WaitForBookingsAsync(int bookings, TimeSpan timeout)
        {
            await CertificateRotationTests.WaitForAsync(() => Succeeded >= bookings || _stop.IsCancellationRequested, timeout,
                () => $"{Succeeded} of {bookings} bookings; failures: {string.Join(" | ", Failures.Take(5))}");
        }

        public async Task StopAsync()
        {
            await _stop.CancelAsync();
            await Task.WhenAll(_workers);
        }

        public async ValueTask DisposeAsync()
        {
            await StopAsync();
            _stop.Dispose();
        }

        public static async Task<JsonElement> SendAsync(HttpClient http, HttpMethod method, string path, object body, string? idempotencyKey = null)
        {
            using var request = new HttpRequestMessage(method, path)
            {
                Content = new StringContent(JsonSerializer.Serialize(body, JsonSerializerOptions.Web), Encoding.UTF8, "application/json"),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", SecurityFixture.AdminToken);

            // As clients are told to book (docs/api.md): the key makes the API's retry on another gateway safe.
            if (idempotencyKey is not null)
            {
                request.Headers.Add("Idempotency-Key", idempotencyKey);
            }

            using var response = await http.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            if (response.StatusCode != HttpStatusCode.Created)
            {
                throw new HttpRequestException($"{method} {path} answered {(int)response.StatusCode}: {text}");
            }

            return JsonDocument.Parse(text).RootElement.Clone();
        }

        private async Task WorkAsync()
        {
            // Bounded: 12 hourly slots a day for 80 days per provider, far more than a run books.
            while (!_stop.IsCancellationRequested)
            {
                var slot = Interlocked.Increment(ref _next);
                var provider = slot % Providers;
                var hour = slot / Providers;
                if (hour >= 12 * 80)
                {
                    return;
                }

                var local = _firstDay.AddDays(hour / 12).ToDateTime(new TimeOnly(8 + (hour % 12), 0));
                var start = new DateTimeOffset(local, NewYork.GetUtcOffset(local)).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
                try
                {
                    await SendAsync(_http, HttpMethod.Post, $"/api/clinics/{_clinic.Id}/appointments", new
                    {
                        patientId = _clinic.Patients[provider],
                        providerId = _clinic.Providers[provider],
                        appointmentType = "checkup",
                        start,
                        reason = "rotation",
                    }, idempotencyKey: $"{_clinic.Id}-{slot}");
                    Interlocked.Increment(ref _succeeded);
                }
                catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
                {
                    Interlocked.Increment(ref _failed);
                    Failures.Enqueue($"{DateTime.UtcNow:HH:mm:ss.fff} {exception.Message}");
                }

                // A steady trickle, not a benchmark: the machine is shared.
                await Task.Delay(20);
            }
        }
    }
}
